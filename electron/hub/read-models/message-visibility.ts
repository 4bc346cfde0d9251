/** Who may read a stored message: the same rule as everywhere else, membership of its conversation (the admin token reads all). */
import { mayAccess, type ConversationStore } from '../store/conversation-store.js';

export type MessageReadable = (reader: { agent: string; admin: boolean }, conversationId: string) => boolean;

export function messageReadable(conversations: Pick<ConversationStore, 'meta'>): MessageReadable {
  return (reader, conversationId) => mayAccess(conversations.meta(conversationId), reader.agent, reader.admin);
}
