/** The audit view. */
import { EmptyState } from '../../components/empty-state.js';

export function AuditView() {
  return <EmptyState title="Audit" />;
}
