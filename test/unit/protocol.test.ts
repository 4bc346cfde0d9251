import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HubError } from '../../shared/client/index.js';
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

  it('uses only SB_ERR_ codes, each the hub sends with an HTTP status, each a client raises itself marked so', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^SB_ERR_[A-Z_]+$/);
      if ('status' in entry) expect(entry.status).toBeGreaterThanOrEqual(400);
      else expect(entry.client).toBe(true);
    }
  });
});

describe("the client's errors", () => {
  it('keeps the code of an error frame, and a code it does not know in front of the message', () => {
    const known = HubError.fromFrame({ type: 'error', code: 'SB_ERR_FORBIDDEN', message: 'not yours' });
    const unknown = HubError.fromFrame({ type: 'error', code: 'SB_ERR_FROM_THE_FUTURE', message: 'something new' });
    expect([known.code, known.message, unknown.code, unknown.message]).toEqual([
      'SB_ERR_FORBIDDEN',
      'not yours',
      'SB_ERR_INTERNAL',
      'SB_ERR_FROM_THE_FUTURE: something new',
    ]);
  });
});

describe('version', () => {
  it('reports the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(HUB_VERSION).toBe(pkg.version);
  });
});
