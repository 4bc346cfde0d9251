/** The overview view. */
import { EmptyState } from '../../components/empty-state.js';

export function OverviewView() {
  return <EmptyState title="Overview" />;
}
