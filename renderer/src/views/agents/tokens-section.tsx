/** Tokens (admin): create one for an agent (its secret shown once), list them, revoke one. */
import { useMemo, useState } from 'react';
import { httpRoutes, type NewToken } from '../../../../shared/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { TokenCreateForm } from './token-create-form.js';
import { TokenSecret } from './token-secret.js';
import { TokenTable } from './token-table.js';

export function TokensSection({ agentIds }: { agentIds: readonly string[] }) {
  const query = useHubQuery(httpRoutes.listTokens);
  const [created, setCreated] = useState<NewToken | undefined>(undefined);
  const listed = query.data?.tokens;
  const tokens = useMemo(() => [...(listed ?? [])].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0)), [listed]);

  return (
    <section className="tokens-section" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Tokens</h2>
      <p className="muted">Each agent connects with its own token; it may speak only as that agent. Browser sessions are the sign-ins from login links.</p>
      <TokenCreateForm
        agentIds={agentIds}
        onCreated={(token) => {
          setCreated(token);
          query.reload();
        }}
      />
      {created === undefined ? null : <TokenSecret token={created} onDone={() => setCreated(undefined)} />}
      <HubErrorText error={query.error} />
      {listed === undefined ? null : tokens.length === 0 ? (
        <EmptyState title="No tokens yet">Create one above for each agent that should connect with its own name.</EmptyState>
      ) : (
        <TokenTable tokens={tokens} onRevoked={query.reload} />
      )}
    </section>
  );
}
