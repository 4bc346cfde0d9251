/** The conversations view. */
import { EmptyState } from '../../components/empty-state.js';

export function ConversationsView() {
  return <EmptyState title="Conversations" />;
}
