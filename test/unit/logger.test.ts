import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../electron/hub/logger.js';
import { newToken } from '../../electron/hub/store/token-store.js';
import { tempDir } from '../helpers/hub.js';

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

  it('writes JSON lines to its file without the token', () => {
    const file = join(tempDir(), 'logs', 'hub.log');
    const token = newToken();
    const logger = createLogger({ file });
    logger.warn(`rejected ${token}`, { token, source: 'ws' });
    logger.debug('below the level, not written');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([{ time: expect.any(String), level: 'warn', message: 'rejected sb_***', token: '***', source: 'ws' }]);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
  });
});
