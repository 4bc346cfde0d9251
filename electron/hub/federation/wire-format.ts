/**
 * What a federated message looks like in JetStream: JSON on the subject `switchboard.messages.<hub id>`.
 * Another hub is another machine: what it sends is checked like any input before it is stored.
 */
import { z } from 'zod';
import type { RemoteMessage } from '../store/message-store.js';

/** Every hub publishes on its own subject, so NATS permissions can keep a hub from speaking for another. */
export const SUBJECT_PREFIX = 'switchboard.messages';
export const subjectOf = (hubId: string): string => `${SUBJECT_PREFIX}.${hubId}`;

const federatedMessage = z.strictObject({
  v: z.literal(1),
  origin_hub: z.string().min(1).max(64),
  origin_seq: z.int().min(1),
  conversation_id: z.string().min(1).max(200),
  sender: z.string().min(1).max(200),
  message_type: z.string().min(1).max(100),
  content: z.string(),
  payload: z.unknown().optional(),
  created_at: z.int().min(0),
});

/** The JSON a local message is published as. */
export function encode(message: RemoteMessage): string {
  return JSON.stringify({ v: 1, ...message });
}

/** A message from the stream, or why it was refused: not our format, or an origin other than its subject names. */
export function decode(subject: string, text: string): { message: RemoteMessage } | { refused: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { refused: 'not JSON' };
  }
  const parsed = federatedMessage.safeParse(json);
  if (!parsed.success) return { refused: `not a federated message: ${parsed.error.issues[0]?.message ?? ''}` };
  const { origin_hub, origin_seq, conversation_id, sender, message_type, content, payload, created_at } = parsed.data;
  if (subject !== subjectOf(origin_hub)) return { refused: `published on ${subject} for hub "${origin_hub}"` };
  const message: RemoteMessage = { origin_hub, origin_seq, conversation_id, sender, message_type, content, created_at };
  if (payload !== undefined) message.payload = payload;
  return { message };
}
