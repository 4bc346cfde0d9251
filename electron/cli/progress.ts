/**
 * Progress of a long command (backup, restore, export) on one stderr line that rewrites itself — only on a
 * terminal, so pipes and logs never get the control characters. stdout is left to the result.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Progress {
  /** False off a terminal: nothing is shown, so nothing needs measuring. */
  readonly active: boolean;
  /** Shows `text` in place of the previous state. */
  update(text: string): void;
  /** Clears the line, leaving the terminal as before. */
  done(): void;
}

export interface Terminal {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Where progress goes when none should be shown. */
export const NO_TERMINAL: Terminal = { isTTY: false, write: () => true };

export function progressLine(out: Terminal = process.stderr): Progress {
  if (out.isTTY !== true) return { active: false, update() {}, done() {} };
  let shown = false;
  return {
    active: true,
    update(text) {
      out.write(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The size of SQLite's copy under way beside `destination` (`.<name>.<pid>-<n>.tmp`), or undefined before it starts. */
export function copyUnderWay(folder: string, name: string): number | undefined {
  try {
    const temp = readdirSync(folder).find((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
    return temp === undefined ? undefined : statSync(join(folder, temp)).size;
  } catch {
    return undefined;
  }
}

/**
 * Until stopped, shows how far a database copy into `folder/name` has come against `expectedBytes`
 * (the size of what is copied), and before the copy starts, `waiting` with the seconds spent.
 */
export function watchCopy(
  options: { folder: string; name: string; expectedBytes: number; waiting: string; copying: string },
  progress: Progress,
  everyMs = 250,
): () => void {
  if (!progress.active) return () => undefined;
  const started = Date.now();
  const tick = (): void => {
    const written = copyUnderWay(options.folder, options.name);
    if (written === undefined) {
      progress.update(`${options.waiting}… ${Math.round((Date.now() - started) / 1000)} s`);
      return;
    }
    const percent = options.expectedBytes > 0 ? Math.min(99, Math.floor((written / options.expectedBytes) * 100)) : 0;
    progress.update(`${options.copying}… ${percent}% (${formatBytes(written)} of ${formatBytes(options.expectedBytes)})`);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return () => {
    clearInterval(timer);
    progress.done();
  };
}
