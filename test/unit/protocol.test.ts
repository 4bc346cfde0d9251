import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientFrameSchemas, closeCodeFor, type ClientFrameType, describeIssues, HUB_VERSION, sendMessageFrame, ERROR_CATALOGUE } from '../../shared/index.js';

describe('protocol schemas', () => {
  it("accepts the seed's integer conversation id and stores it as a string, with message_type defaulting to message", () => {
    expect(sendMessageFrame.parse({ type: 'send_message', conversation_id: 1, content: 'Hello!' })).toEqual({
      type: 'send_message',
      conversation_id: '1',
      message_type: 'message',
      content: 'Hello!',
    });
  });

  it('names the field that is wrong', () => {
    const result = sendMessageFrame.safeParse({ type: 'send_message', conversation_id: 'c', content: 42 });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toBe('content: Invalid input: expected string, received number');
  });

  it('requires exactly one of conversation_id and to', () => {
    const both = sendMessageFrame.safeParse({ type: 'send_message', conversation_id: 'c', to: 'bob', content: 'x' });
    const neither = sendMessageFrame.safeParse({ type: 'send_message', content: 'x' });
    expect([both.success, neither.success]).toEqual([false, false]);
    if (!neither.success) expect(describeIssues(neither.error)).toBe('conversation_id: give exactly one of "conversation_id" or "to"');
  });

  it('has one schema per client frame type, keyed by the type it parses', () => {
    // A schema checks `type` whatever else is missing, so a frame holding only a type shows what it accepts.
    const typeProblem = (schema: (typeof clientFrameSchemas)[ClientFrameType], type: string): boolean => {
      const result = schema.safeParse({ type });
      return !result.success && result.error.issues.some((issue) => issue.path[0] === 'type');
    };
    const keys = Object.keys(clientFrameSchemas) as ClientFrameType[];
    expect(keys.filter((key) => typeProblem(clientFrameSchemas[key], key))).toEqual([]);
    expect(keys.filter((key) => !typeProblem(clientFrameSchemas[key], `not-${key}`))).toEqual([]);
    expect(keys).toContain('send_message');
  });
});

describe('error catalogue', () => {
  it('gives connection-ending errors their WebSocket close codes', () => {
    expect({
      auth: closeCodeFor('SB_ERR_AUTH'),
      full: closeCodeFor('SB_ERR_TOO_MANY_CONNECTIONS'),
      big: closeCodeFor('SB_ERR_FRAME_TOO_LARGE'),
      slow: closeCodeFor('SB_ERR_SLOW_CONSUMER'),
      validation: closeCodeFor('SB_ERR_VALIDATION'),
    }).toEqual({ auth: 4001, full: 1013, big: 1009, slow: 1008, validation: undefined });
  });

  it('uses only SB_ERR_ codes with an HTTP status', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^SB_ERR_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('version', () => {
  it('reports the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(HUB_VERSION).toBe(pkg.version);
  });
});
