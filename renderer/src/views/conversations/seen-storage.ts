/**
 * The newest seq the person has had on screen in each conversation, kept in localStorage across visits,
 * so the list can mark what is new since the last visit.
 */
const KEY = 'switchboard.seen-seq';

export function readSeen(): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function writeSeen(id: string, seq: number): void {
  const seen = readSeen();
  if ((seen[id] ?? 0) >= seq) return;
  seen[id] = seq;
  try {
    localStorage.setItem(KEY, JSON.stringify(seen));
  } catch {
    // Storage full or disabled: the marks are a convenience, the view works without them.
  }
}
