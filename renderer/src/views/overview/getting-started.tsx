/** Shown until the first agent connects: how to get one in, and (for the admin) whether to be asked first. */
import { EmptyState } from '../../components/empty-state.js';
import { useStore } from '../../store/store.js';
import { ApprovalOffer } from './approval-offer.js';

const SDK_SNIPPET = `import { connect } from 'switchboard/sdk';
const agent = await connect({ agent: 'planner' });
await agent.send('general', 'hello from planner');`;

export function GettingStarted() {
  const admin = useStore((s) => s.session?.admin === true);
  return (
    <div data-testid="getting-started">
      <EmptyState title="No agents yet">
        <p>
          Run <code>npm run demo</code> for a small team of agents, or connect one with the SDK:
        </p>
        <pre className="command getting-started-snippet">{SDK_SNIPPET}</pre>
        <p>It reads the hub's address and token from connection.json in the data folder.</p>
        {admin ? <ApprovalOffer /> : null}
      </EmptyState>
    </div>
  );
}
