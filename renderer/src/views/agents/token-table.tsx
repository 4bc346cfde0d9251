/** The hub's tokens and browser sessions, newest first, each revocable after a confirm step. */
import { useEffect, useRef, useState } from 'react';
import { httpRoutes, type TokenRecord } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { formatAgo, formatDateTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';

export function TokenTable({ tokens, onRevoked }: { tokens: readonly TokenRecord[]; onRevoked(): void }) {
  return (
    <div className="table-scroll">
      <table className="token-table">
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Kind</th>
            <th scope="col">Agent</th>
            <th scope="col">Label</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <TokenRow key={token.id} token={token} onRevoked={onRevoked} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isExpired(token: TokenRecord): boolean {
  return token.expires_at !== null && Date.parse(token.expires_at) <= Date.now();
}

function TokenRow({ token, onRevoked }: { token: TokenRecord; onRevoked(): void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useHubAction();
  const keep = useRef<HTMLButtonElement>(null);
  const inactive = token.revoked_at !== null || isExpired(token);

  // The safe choice has the focus, so Enter pressed twice does not revoke.
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  const revoke = async (): Promise<void> => {
    const done = await action.run(() => api(httpRoutes.revokeToken, { params: { id: token.id } }));
    if (done === undefined) return;
    setConfirming(false);
    onRevoked();
  };

  return (
    <tr data-testid="token-row" data-token-id={token.id} data-revoked={token.revoked_at !== null} className={inactive ? 'inactive' : undefined}>
      <td className="mono">{token.id}</td>
      <td>{token.kind === 'session' ? <span className="chip chip-info">browser session</span> : 'token'}</td>
      <td>
        {token.agent ?? <span className="muted">any</span>}
        {token.admin ? <span className="chip chip-warn token-admin">admin</span> : null}
      </td>
      <td>{token.label ?? <span className="muted">—</span>}</td>
      <td title={formatDateTime(token.created_at)}>{formatAgo(token.created_at)}</td>
      <td title={formatDateTime(token.last_used_at)}>{formatAgo(token.last_used_at)}</td>
      <td>
        {token.revoked_at !== null ? (
          <span className="chip chip-danger" title={formatDateTime(token.revoked_at)}>
            revoked {formatAgo(token.revoked_at)}
          </span>
        ) : isExpired(token) ? (
          <span className="chip chip-muted">expired</span>
        ) : (
          <span className="chip chip-ok">active</span>
        )}
      </td>
      <td className="token-actions">
        {inactive ? null : confirming ? (
          <span
            className="row"
            role="group"
            aria-label={`Revoke token ${token.id}?`}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                setConfirming(false);
              }
            }}
          >
            <span>Revoke? Agents using it are disconnected.</span>
            <button type="button" className="danger" disabled={action.busy} onClick={() => void revoke()}>
              Confirm revoke
            </button>
            <button type="button" ref={keep} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
        <HubErrorText error={action.error} />
      </td>
    </tr>
  );
}
