/** How the dashboard names the process behind a connection: short enough for a table cell, the full command line kept for its tooltip. */
import { shortCommand, type ConnectionProcess } from '../../../../shared/index.js';

export { shortCommand };

export interface ProcessLabel {
  text: string;
  /** The shortened command, drawn apart from the pid so a narrow cell can cut it and keep the pid; null when not shown. */
  command: string | null;
  /** The full command line and executable, or why the process is unknown. */
  title: string;
}

/** One label per process: `python3 planner.py · pid 4242`, or `unknown`; connections of one process are shown once. */
export function processLabels(processes: readonly ConnectionProcess[]): ProcessLabel[] {
  const labels = new Map<string, ProcessLabel>();
  for (const found of processes) {
    if ('unknown' in found) labels.set(`unknown ${found.reason}`, { text: 'unknown', command: null, title: found.reason });
    else {
      const command = found.command === null ? null : shortCommand(found.command);
      labels.set(`pid ${found.pid}`, {
        text: command === null ? `pid ${found.pid}` : `${command} · pid ${found.pid}`,
        command,
        title: found.command === null ? 'Its command line is shown to admins only' : `${found.command}\n${found.executable ?? ''}`.trim(),
      });
    }
  }
  return [...labels.values()];
}
