/**
 * The newest seq the person has had on screen in each conversation, kept in localStorage across visits,
 * so the list can mark what is new since the last visit.
 */
const KEY = 'switchboard.seen-seq';

export type SeenSeqs = Record<string, number>;

/** What earlier visits saw; undefined on the first visit in this browser. */
export function readSeen(): SeenSeqs | undefined {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === null) return undefined;
    const parsed: unknown = JSON.parse(stored);
    return typeof parsed === 'object' && parsed !== null ? (parsed as SeenSeqs) : {};
  } catch {
    return {};
  }
}

/**
 * The seen seqs to start from. On a first visit nothing is "new since the last visit": what the hub already
 * holds counts as seen, so only what arrives from now on gets a mark.
 */
export function seenSince(stored: SeenSeqs | undefined, conversations: readonly { id: string; last_seq: number }[]): SeenSeqs {
  return stored ?? Object.fromEntries(conversations.map((c) => [c.id, c.last_seq]));
}

/** Records conversations as seen up to the given seqs; a seq never goes back. */
export function writeSeen(seqs: SeenSeqs): void {
  const seen = readSeen() ?? {};
  for (const [id, seq] of Object.entries(seqs)) seen[id] = Math.max(seen[id] ?? 0, seq);
  try {
    localStorage.setItem(KEY, JSON.stringify(seen));
  } catch {
    // Storage full or disabled: the marks are a convenience, the view works without them.
  }
}
