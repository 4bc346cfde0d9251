/** The metrics view. */
import { EmptyState } from '../../components/empty-state.js';

export function MetricsView() {
  return <EmptyState title="Metrics" />;
}
