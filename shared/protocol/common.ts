/** Field schemas used by more than one frame family. */
import { z } from 'zod';

/** A request id chosen by the client; the reply echoes it as `re`. */
export const requestId = z.union([z.string().max(200), z.number()]).optional();

/** Conversation ids are strings; the seed's integer ids are accepted and stored as their decimal string. */
export const conversationId = z.union([z.string().min(1).max(200), z.number().int()]).transform((value) => String(value));

export const agentName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'use letters, digits, ".", "_", "@" and "-", starting with a letter or digit');

export const messageType = z.string().min(1).max(50);

/** A time the hub reports: ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const isoTime = z.iso.datetime();

/** True when A and B have the same fields, each of the same type. */
type SameShape<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;

/**
 * The schema of an interface, which fails to compile unless the schema's output has exactly the
 * interface's fields and types. For the records the SDK's typings expose: they stay interfaces so an SDK
 * installed without optional packages (zod among them) keeps its types.
 */
export const schemaOf =
  <T>() =>
  <S extends z.ZodType>(schema: S & (SameShape<z.output<S>, T> extends true ? unknown : { differsFrom: T })): S =>
    schema;

/** A sequence cursor: the `seq` of the last message the client has seen (0 = from the beginning). */
export const seqCursor = z.number().int().min(0);

export const pageLimit = z.number().int().min(1).max(1000);

export const jsonPayload = z.json();

/** Exactly one of `conversation_id` and `to` addresses a message or stream. */
export const exactlyOneAddress: [(frame: { conversation_id?: string | undefined; to?: string | undefined }) => boolean, { message: string; path: string[] }] = [
  (frame) => (frame.conversation_id === undefined) !== (frame.to === undefined),
  { message: 'give exactly one of "conversation_id" or "to"', path: ['conversation_id'] },
];
