/**
 * The link to the other hubs through NATS, when federation is on: connected or not and to which server,
 * this hub's id, what waits on either side, what went across, and the last error. Nothing when it is off.
 */
import { httpRoutes, type FederationStatus } from '../../../../shared/index.js';
import type { HubRequestError } from '../../api/http.js';
import { formatAgo, formatCount, formatDateTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';

type Federated = Extract<FederationStatus, { enabled: true }>;

function Figure({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <div className="federation-figure">
      <div className="stat-label">{label}</div>
      <div className="federation-value" data-testid={testId}>
        {value}
      </div>
      <div className="stat-hint muted">{hint}</div>
    </div>
  );
}

export function FederationCard({ refreshMs }: { refreshMs: number }) {
  const query = useHubQuery(httpRoutes.federation, { refreshMs });
  const federation = query.data?.federation;
  if (federation === undefined || !federation.enabled) return null;
  return <FederationLink link={federation} error={query.error} />;
}

function FederationLink({ link, error }: { link: Federated; error: HubRequestError | undefined }) {
  const inbound = link.inbound.pending;
  return (
    <section className="card federation-card" aria-label="Federation" data-testid="federation-card">
      <div className="row federation-head">
        <span className="stat-label">Federation</span>
        <span className={`chip ${link.connected ? 'chip-ok' : 'chip-danger'}`} data-testid="federation-link">
          {link.connected ? 'connected' : 'not connected'}
        </span>
        <span className="muted">{link.connected ? 'to' : 'trying'}</span>
        <span className="mono" data-testid="federation-server">
          {link.connected && link.server !== null ? link.server : link.servers.join(', ')}
        </span>
        <span className="muted federation-hub">
          this hub:{' '}
          <span className="mono" data-testid="federation-hub-id">
            {link.hub_id}
          </span>
        </span>
      </div>
      <div className="federation-figures">
        <Figure label="To publish" value={formatCount(link.outbox.pending)} hint="local messages waiting" testId="federation-outbox" />
        <Figure
          label="To take in"
          value={inbound === null ? '—' : formatCount(inbound)}
          hint={inbound === null ? 'NATS cannot be asked now' : 'from other hubs, not yet stored'}
          testId="federation-inbound"
        />
        <Figure label="Published" value={formatCount(link.published)} hint="since the hub started" testId="federation-published" />
        <Figure
          label="Received"
          value={formatCount(link.received)}
          hint={link.refused > 0 ? `${formatCount(link.refused)} refused as malformed` : 'from other hubs'}
          testId="federation-received"
        />
      </div>
      <p className="federation-shared muted">
        Shares <span className="mono">{link.conversations.join(', ')}</span>
      </p>
      {link.last_error === null ? (
        <p className="muted federation-error" data-testid="federation-last-error">
          No errors since the hub started.
        </p>
      ) : (
        <p className="federation-error" data-testid="federation-last-error">
          <span className="error-text">Last error</span>{' '}
          <time dateTime={link.last_error.at} className="muted">
            {formatDateTime(link.last_error.at)} ({formatAgo(link.last_error.at)})
          </time>
          : {link.last_error.message}
        </p>
      )}
      <HubErrorText error={error} />
    </section>
  );
}
