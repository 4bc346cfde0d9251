/** The `federation` settings, which conversations they share, and what the hub accepts from the stream. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../electron/hub/config.js';
import { ConfigError } from '../../electron/common/config-error.js';
import { conversationMatcher, defaultHubId } from '../../electron/hub/federation/settings.js';
import { decode, encode, subjectOf } from '../../electron/hub/federation/wire-format.js';

function problems(federation: unknown): string[] {
  try {
    resolveConfig({ dataDir: '/data', federation } as never);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('federation settings', () => {
  it('fills in the stream, one replica and the machine name as hub id', () => {
    const config = resolveConfig({ dataDir: '/data', federation: { url: 'nats://10.0.0.5:4222', conversations: ['team-*'] } });
    expect(config.federation).toEqual({ url: 'nats://10.0.0.5:4222', conversations: ['team-*'], hubId: defaultHubId(), stream: 'SWITCHBOARD', replicas: 1 });
    expect(defaultHubId('Ana’s MacBook Pro.local')).toBe('Ana-s-MacBook-Pro-local');
    expect(defaultHubId('...')).toBe('hub');
  });

  it('names what is wrong in each invalid section', () => {
    expect({
      noConversations: problems({ url: 'nats://h:4222', conversations: [] }),
      badUrl: problems({ url: 'http://h:4222', conversations: ['a'] }),
      badHubId: problems({ url: 'nats://h:4222', hubId: 'my laptop', conversations: ['a'] }),
      twoLogins: problems({ url: 'nats://h:4222', conversations: ['a'], token: 't', credsFile: '/x.creds' }),
      halfLogin: problems({ url: 'nats://h:4222', conversations: ['a'], user: 'laptop' }),
      unknown: problems({ url: 'nats://h:4222', conversations: ['a'], servers: [] }),
    }).toEqual({
      noConversations: ['federation.conversations must name at least one conversation or pattern'],
      badUrl: ['federation.url must be a nats:// or tls:// address such as nats://10.0.0.5:4222'],
      badHubId: ['federation.hubId may hold only letters, digits, "-" and "_" (at most 64)'],
      twoLogins: ['federation takes one way to log in: user and password, token, nkeySeedFile or credsFile'],
      halfLogin: ['federation.user and federation.password go together'],
      unknown: [
        'unknown setting "federation.servers" (known: conversations, credsFile, hubId, nkeySeedFile, password, replicas, stream, tls, token, url, user)',
      ],
    });
  });

  it('shares the conversations the patterns name, where * stands for any run of characters', () => {
    const shared = conversationMatcher(['team-*', 'ops', 'a.b*c']);
    expect(['team-x', 'team-', 'ops', 'a.bXYc', 'ops2', 'my-team-x', 'aXbc', 'team-\nx'].map(shared)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('messages from the federation stream', () => {
  const message = { origin_hub: 'laptop', origin_seq: 7, conversation_id: 'team-x', sender: 'planner', message_type: 'message', content: 'hi', created_at: 1 };

  it('reads back what a hub published', () => {
    expect(decode(subjectOf('laptop'), encode({ ...message, payload: { n: 1 } }))).toEqual({ message: { ...message, payload: { n: 1 } } });
  });

  it('refuses a message whose subject names another hub than it claims, and anything not in the format', () => {
    expect([
      decode(subjectOf('workstation'), encode(message)),
      decode(subjectOf('laptop'), 'not json'),
      decode(subjectOf('laptop'), JSON.stringify({ ...message, v: 1, origin_seq: 0 })),
    ]).toEqual([
      { refused: 'published on switchboard.messages.workstation for hub "laptop"' },
      { refused: 'not JSON' },
      { refused: expect.stringMatching(/^not a federated message/) },
    ]);
  });
});
