/** Creating a conversation explicitly (WebSocket and HTTP share this); sending to a new id creates one too. */
import { randomBytes } from 'node:crypto';
import type { ConversationInfo } from '../../../shared/index.js';
import type { Identity } from '../ws/connection.js';
import type { HubServices } from '../services.js';

export interface ConversationRequest {
  conversation_id?: string | undefined;
  title?: string | undefined;
  members?: string[] | undefined;
}

/** What creating a conversation touches. */
export type ConversationServices = Pick<HubServices, 'conversations' | 'events' | 'clock'>;

export function createConversation(
  s: ConversationServices,
  creator: Identity,
  request: ConversationRequest,
): { conversation: ConversationInfo; created: boolean } {
  const id = request.conversation_id ?? `c_${randomBytes(6).toString('hex')}`;
  // A members-only conversation always lets its creator in, unless the creator is the admin.
  const members = request.members === undefined ? undefined : [...new Set(creator.admin ? request.members : [creator.agent, ...request.members])];
  const { created } = s.conversations.ensure(id, creator.agent, s.clock.now(), { title: request.title, members });
  const conversation = s.conversations.info(id);
  if (conversation === undefined) throw new Error(`conversation "${id}" vanished after it was created`);
  if (created) s.events.record('conversation_created', s.clock.now(), { actor: creator.agent, subject: id });
  return { conversation, created };
}
