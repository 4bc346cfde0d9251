/** How a conversation is named on screen: its title, or `alice ↔ bob` for a direct one, or its id. */
import type { ConversationInfo } from '../../../../shared/index.js';

export function conversationTitle(id: string, info?: ConversationInfo): string {
  if (info?.title !== null && info?.title !== undefined && info.title !== '') return info.title;
  if (id.startsWith('dm:')) return id.slice(3).split(':').join(' ↔ ');
  return `#${id}`;
}
