import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, readableLine, redact } from '../../electron/common/logger.js';
import { newToken } from '../../electron/hub/store/token-store.js';
import { tempDir } from '../helpers/hub.js';

const jsonLines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('logger', () => {
  it('masks tokens inside messages and secret-named fields, at any depth', () => {
    const token = newToken();
    expect(redact({ note: `bad token ${token}`, nested: { authorization: `Bearer ${token}`, list: [token] }, count: 3 })).toEqual({
      note: 'bad token sb_***',
      nested: { authorization: '***', list: ['sb_***'] },
      count: 3,
    });
  });

  it('masks the callback signing secret inside messages too', () => {
    expect(redact('signing with sbwh_K0whT0admd0rmQb2LE5TYbV1_85cw7iMpAPKyChr1iY')).toBe('signing with sbwh_***');
  });

  it('writes JSON lines to its file without the token, all of them once flushed', async () => {
    const file = join(tempDir(), 'logs', 'hub.log');
    const token = newToken();
    const logger = createLogger({ file });
    logger.warn(`rejected ${token}`, { token, source: 'ws' });
    logger.debug('below the level, not written');
    await logger.flush?.();
    expect(jsonLines(file)).toEqual([{ time: expect.any(String), level: 'warn', message: 'rejected sb_***', token: '***', source: 'ws' }]);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
  });

  it('rotates its file by size, keeping only the newest rotated files, every one of them JSON lines', async () => {
    const file = join(tempDir(), 'logs', 'hub.log');
    const logger = createLogger({ file, rotation: { maxBytes: 4096, keep: 2 } });
    for (let i = 0; i < 300; i++) {
      logger.info('a line that makes the log grow', { i });
      if (i % 50 === 49) await logger.flush?.();
    }
    await logger.flush?.();
    const rotated = [join(file, '..', 'hub.1.log'), join(file, '..', 'hub.2.log')];
    expect({ rotated: rotated.map((f) => existsSync(f)), third: existsSync(join(file, '..', 'hub.3.log')) }).toEqual({ rotated: [true, true], third: false });
    // The newest lines: the end of hub.1.log, then hub.log (empty right after a rotation).
    const newest = [...jsonLines(rotated[0] ?? ''), ...(readFileSync(file, 'utf8') === '' ? [] : jsonLines(file))];
    expect(newest.at(-1)).toEqual(expect.objectContaining({ level: 'info', message: 'a line that makes the log grow', i: 299 }));
    for (const f of rotated) expect(readFileSync(f).length).toBeLessThan(4096 + 1024);
  });

  it('never throws when its file cannot be written, and loses only the lines', async () => {
    const blocker = join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, 'x');
    const logger = createLogger({ file: join(blocker, 'logs', 'hub.log') });
    expect(() => logger.error('nowhere to go', { n: 1 })).not.toThrow();
    await expect(logger.flush?.()).resolves.toBeUndefined();
  });

  it('formats a line for a terminal as level, time and message, fields after', () => {
    const time = new Date(2026, 0, 2, 3, 4, 5);
    expect(readableLine('warn', time, 'slow consumer cut off', { agent: 'coder', bytes: 12 })).toBe(
      'WARN  03:04:05 slow consumer cut off agent=coder bytes=12\n',
    );
  });
});
