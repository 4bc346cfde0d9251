/**
 * The durability self-test: runs Switchboard's promise (every acknowledged message kept, once, through
 * crashes) on this machine's own disk and OS, shows its progress, and the last result, green or red.
 */
import { useState } from 'react';
import { httpRoutes, SELFTEST_MESSAGES, selftestSummary, type SelftestResult } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { formatAgo, formatCount, formatDateTime } from '../../components/format.js';
import { HubErrorText, toHubError } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';

/** How often the card asks how far a run is. */
const POLL_MS = 1000;

function LastResult({ result }: { result: SelftestResult }) {
  return (
    <div className={`selftest-result ${result.ok ? 'selftest-ok' : 'selftest-failed'}`} data-testid="selftest-result" role="status">
      <p className="selftest-verdict">
        {result.ok ? '✓ Passed' : '✗ Failed'}: {selftestSummary(result)}
      </p>
      {result.ok ? null : result.error === null ? (
        <p>
          {formatCount(result.acked)} messages were acknowledged and {formatCount(result.found)} of them found afterwards: {formatCount(result.lost)} lost,{' '}
          {formatCount(result.duplicates)} stored twice, {formatCount(result.gaps)} gaps in seq; SQLite’s integrity check: {result.integrity}.
        </p>
      ) : (
        <p>
          It stopped after {formatCount(result.acked)} acknowledged messages and {result.kills} of 3 kills; the database was not checked.
        </p>
      )}
      <p className="muted" title={formatDateTime(result.finished_at)}>
        Ran {formatAgo(result.finished_at)} with {formatCount(result.messages)} messages.
      </p>
    </div>
  );
}

export function SelftestCard() {
  const [failure, setFailure] = useState<ReturnType<typeof toHubError> | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const [messages, setMessages] = useState(String(SELFTEST_MESSAGES.default));
  // The run this page started, until its result is in.
  const [awaiting, setAwaiting] = useState<string | undefined>(undefined);
  // Asks every second only while a run goes on: a change of `polling` restarts the query with or without it.
  const [polling, setPolling] = useState(false);
  const query = useHubQuery(httpRoutes.selftest, { refreshOn: polling, ...(polling ? { refreshMs: POLL_MS } : {}) });
  const state = query.data;
  const going = state?.running === true || (awaiting !== undefined && state !== undefined && state.last?.started_at !== awaiting);
  // Follows the answers without an effect (React's way to adjust state to a changed value).
  if (going !== polling) setPolling(going);
  const busy = starting || going;

  const run = async (): Promise<void> => {
    setFailure(undefined);
    setStarting(true);
    try {
      const started = await api(httpRoutes.startSelftest, { body: { messages: Number(messages) } });
      setAwaiting(started.started_at ?? undefined);
    } catch (caught) {
      setFailure(toHubError(caught));
      query.reload();
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="card settings-group" aria-labelledby="settings-selftest" data-testid="settings-selftest">
      <div className="settings-group-head">
        <h2 id="settings-selftest">Self-test</h2>
        <span className="muted">Takes a few seconds; the hub keeps serving.</span>
      </div>
      <p>
        Checks Switchboard’s durability on this machine’s own disk: a scratch hub in a temporary folder is killed three times (SIGKILL) while two agents send
        messages and resend what was not acknowledged. Every acknowledged message must then be stored exactly once, in sequence, and the database must pass
        SQLite’s integrity check. Your own data is not touched. <code>switchboard selftest</code> runs the same test.
      </p>
      <p className="toolbar">
        <label className="selftest-messages">
          Messages{' '}
          <input
            type="number"
            min={SELFTEST_MESSAGES.min}
            max={SELFTEST_MESSAGES.max}
            step={100}
            value={messages}
            disabled={busy}
            onChange={(event) => setMessages(event.target.value)}
          />
        </label>
        <button type="button" className="primary" disabled={busy} onClick={() => void run()} data-testid="selftest-run">
          {busy ? 'Running…' : 'Run self-test'}
        </button>
        {state?.progress === null || state?.progress === undefined ? null : (
          <span className="selftest-progress" data-testid="selftest-progress">
            <progress max={state.progress.messages} value={state.progress.acked} />
            <span className="muted">
              {formatCount(state.progress.acked)} of {formatCount(state.progress.messages)} messages acknowledged · {state.progress.kills} of 3 kills
            </span>
          </span>
        )}
      </p>
      <HubErrorText error={failure ?? query.error} />
      {state === undefined ? null : state.last === null ? <p className="muted">Not run yet on this hub.</p> : <LastResult result={state.last} />}
    </section>
  );
}
