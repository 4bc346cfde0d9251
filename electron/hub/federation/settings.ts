/**
 * The `federation` section of settings.json: which NATS servers, this hub's name among the others, which
 * conversations are shared, and the credentials and TLS options NATS clients take. Zod only, so the
 * hub's configuration can check it without loading the NATS client.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import type { FederationDefaults } from '../../../shared/index.js';

/** A NATS subject token: a hub id is part of the subjects it publishes on. */
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

const problem = (message: string) => ({ error: message });

const server = z
  .string(problem('federation.url must be a nats:// or tls:// address'))
  .regex(/^(nats|tls):\/\/[^\s/]+$/, problem('federation.url must be a nats:// or tls:// address such as nats://10.0.0.5:4222'));

const file = (key: string) => z.string(problem(`federation.${key} must be a file path`)).min(1, problem(`federation.${key} must be a file path`));

/** A machine name as a hub id: what a subject token may hold, the rest replaced. */
export function defaultHubId(name: string = hostname()): string {
  const id = name
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id === '' ? 'hub' : id;
}

const DEFAULT_STREAM = 'SWITCHBOARD';
const DEFAULT_REPLICAS = 1;

/** What the settings the `federation` section may leave out stand for on this machine. */
export function federationDefaults(): FederationDefaults {
  return { hubId: defaultHubId(), stream: DEFAULT_STREAM, replicas: DEFAULT_REPLICAS };
}

export const federationSettings = z
  .strictObject(
    {
      url: z.union([server, z.array(server).min(1, problem('federation.url must name at least one server'))]),
      hubId: z
        .string(problem('federation.hubId must be a name'))
        .regex(SUBJECT_TOKEN, problem('federation.hubId may hold only letters, digits, "-" and "_" (at most 64)'))
        .default(() => defaultHubId()),
      conversations: z
        .array(
          z
            .string(problem('federation.conversations must be a list of names or patterns'))
            .min(1, problem('federation.conversations may not hold an empty pattern')),
          problem('federation.conversations must be a list of names or patterns such as "team-*"'),
        )
        .min(1, problem('federation.conversations must name at least one conversation or pattern')),
      stream: z
        .string(problem('federation.stream must be a stream name'))
        .regex(SUBJECT_TOKEN, problem('federation.stream may hold only letters, digits, "-" and "_"'))
        .default(DEFAULT_STREAM),
      replicas: z
        .int(problem('federation.replicas must be 1, 3 or 5'))
        .min(1, problem('federation.replicas must be 1, 3 or 5'))
        .max(5, problem('federation.replicas must be 1, 3 or 5'))
        .default(DEFAULT_REPLICAS),
      user: z.string(problem('federation.user must be a string')).optional(),
      password: z.string(problem('federation.password must be a string')).optional(),
      token: z.string(problem('federation.token must be a string')).optional(),
      nkeySeedFile: file('nkeySeedFile').optional(),
      credsFile: file('credsFile').optional(),
      tls: z
        .strictObject(
          { caFile: file('tls.caFile').optional(), certFile: file('tls.certFile').optional(), keyFile: file('tls.keyFile').optional() },
          problem('federation.tls must be an object with caFile, certFile and keyFile'),
        )
        .optional(),
    },
    problem('federation must be an object with url and conversations'),
  )
  .refine((f) => (f.user === undefined) === (f.password === undefined), { error: 'federation.user and federation.password go together' })
  .refine((f) => [f.user, f.token, f.nkeySeedFile, f.credsFile].filter((x) => x !== undefined).length <= 1, {
    error: 'federation takes one way to log in: user and password, token, nkeySeedFile or credsFile',
  });

export type FederationSettings = z.output<typeof federationSettings>;

/** Whether a conversation is shared: its id matches one of the patterns, where `*` stands for any run of characters. */
export function conversationMatcher(patterns: readonly string[]): (conversationId: string) => boolean {
  const escaped = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  const regex = new RegExp(`^(?:${escaped.join('|')})$`, 's');
  return (conversationId) => regex.test(conversationId);
}
