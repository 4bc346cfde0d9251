/** The alert list as shown: what was fetched, overlaid with what the hub pushed since and what this window acknowledged. */
import type { AlertRecord, AlertState } from '../../../../shared/index.js';

/** When an alert last changed, as far as its record tells. */
function changedAt(alert: AlertRecord): number {
  return Math.max(...[alert.last_at, alert.acknowledged_at, alert.resolved_at].map((t) => (t === null ? 0 : Date.parse(t) || 0)));
}

/** The later of two records of one alert; on a tie the later-arriving one. */
function newer(a: AlertRecord | undefined, b: AlertRecord): AlertRecord {
  return a === undefined || changedAt(b) >= changedAt(a) ? b : a;
}

/**
 * Newest first. Pushed alerts the fetch did not hold (raised since) join the list when they match the
 * state filter; a row whose state no longer matches it leaves.
 */
export function mergeAlerts(
  fetched: readonly AlertRecord[],
  layers: readonly Readonly<Record<number, AlertRecord>>[],
  state: AlertState | undefined,
): AlertRecord[] {
  const byId = new Map<number, AlertRecord>(fetched.map((a) => [a.id, a]));
  for (const layer of layers) {
    for (const alert of Object.values(layer)) byId.set(alert.id, newer(byId.get(alert.id), alert));
  }
  return [...byId.values()].filter((a) => state === undefined || a.state === state).sort((a, b) => b.id - a.id);
}

export function levelTone(alert: AlertRecord): 'danger' | 'warn' {
  return alert.level === 'critical' ? 'danger' : 'warn';
}

export function stateTone(state: AlertState): 'danger' | 'info' | 'ok' {
  return state === 'open' ? 'danger' : state === 'acknowledged' ? 'info' : 'ok';
}

/** An alert's occurrences said as what they are: the hub's checks that found the condition while it was unresolved. */
export function occurrencesText(occurrences: number): string {
  return `${occurrences} ${occurrences === 1 ? 'check' : 'checks'}`;
}
