/** The agents view. */
import { EmptyState } from '../../components/empty-state.js';

export function AgentsView() {
  return <EmptyState title="Agents" />;
}
