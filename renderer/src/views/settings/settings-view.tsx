/** The settings view. */
import { EmptyState } from '../../components/empty-state.js';

export function SettingsView() {
  return <EmptyState title="Settings" />;
}
