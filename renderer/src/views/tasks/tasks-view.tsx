/** The tasks view. */
import { EmptyState } from '../../components/empty-state.js';

export function TasksView() {
  return <EmptyState title="Tasks" />;
}
