/** Progress of long CLI commands: one rewritten stderr line on a terminal, nothing elsewhere. */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressLine, watchCopy } from '../../electron/cli/progress.js';
import { tempDir } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function terminal(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): boolean } {
  return {
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

describe('progress on a terminal', () => {
  it('rewrites one line in place and clears it when done', () => {
    const out = terminal(true);
    const progress = progressLine(out);
    progress.update('Backing up… 10%');
    progress.update('Backing up… 60%');
    progress.done();
    expect(out.text).toBe('\r\x1b[KBacking up… 10%\r\x1b[KBacking up… 60%\r\x1b[K');
  });

  it('writes nothing when the output is not a terminal', () => {
    const out = terminal(false);
    const progress = progressLine(out);
    progress.update('Backing up… 10%');
    progress.done();
    expect({ active: progress.active, text: out.text }).toEqual({ active: false, text: '' });
  });

  it('shows the seconds spent before a copy starts, then how far the temp copy beside the destination has come', async () => {
    const folder = tempDir('switchboard-progress-');
    folders.push(folder);
    mkdirSync(folder, { recursive: true });
    const out = terminal(true);
    const stop = watchCopy({ folder, name: 'copy.db', expectedBytes: 4096, waiting: 'Checking', copying: 'Restoring' }, progressLine(out), 20);
    const temp = join(folder, '.copy.db.123-1.tmp');
    writeFileSync(temp, Buffer.alloc(1024));
    await eventually(() => (out.text.includes('Restoring… 25%') ? true : undefined), 'a quarter copied');
    appendFileSync(temp, Buffer.alloc(2048));
    await eventually(() => (out.text.includes('Restoring… 75% (3.0 KiB of 4.0 KiB)') ? true : undefined), 'three quarters copied');
    stop();
    expect(out.text.startsWith('\r\x1b[KChecking… 0 s')).toBe(true);
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
  });
});
