/** The last self-test in one line on the hub card (admins, once one has run), linking to the settings page where it is run. */
import { httpRoutes } from '../../../../shared/index.js';
import { formatAgo } from '../../components/format.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { href } from '../../router.js';

export function SelftestLine({ admin }: { admin: boolean }) {
  const query = useHubQuery(admin ? httpRoutes.selftest : undefined);
  const last = query.data?.last;
  if (last === undefined || last === null) return null;
  return (
    <a className={`chip ${last.ok ? 'chip-ok' : 'chip-danger'}`} href={href('settings')} data-testid="overview-selftest" title="Self-test: open the settings">
      Self-test {last.ok ? 'passed' : 'FAILED'} {formatAgo(last.finished_at)}
    </a>
  );
}
