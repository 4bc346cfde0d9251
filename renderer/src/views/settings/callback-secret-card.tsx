/**
 * The secret that signs callbacks and alert webhooks: hidden until revealed, copyable, and rotatable
 * (the old one keeps signing beside the new one for a day, so receivers can be updated meanwhile).
 */
import { useState } from 'react';
import { httpRoutes } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText, toHubError } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';

const when = (iso: string): string => new Date(iso).toLocaleString();

export function CallbackSecretCard() {
  const query = useHubQuery(httpRoutes.callbackSecret);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<ReturnType<typeof toHubError> | undefined>(undefined);
  const data = query.data;

  const copy = async (): Promise<void> => {
    if (data === undefined) return;
    try {
      await navigator.clipboard.writeText(data.secret);
      setNote('Copied.');
    } catch {
      setNote('Could not copy: reveal it and copy it by hand.');
    }
  };
  const rotate = async (): Promise<void> => {
    setConfirming(false);
    setFailure(undefined);
    try {
      await api(httpRoutes.rotateCallbackSecret);
      setNote('A new secret is in use: give it to your receivers.');
      query.reload();
    } catch (caught) {
      setFailure(toHubError(caught));
    }
  };

  return (
    <section className="card settings-group" aria-labelledby="settings-callback-secret" data-testid="settings-callback-secret">
      <div className="settings-group-head">
        <h2 id="settings-callback-secret">Callback signing secret</h2>
        <span className="muted">Applies at once.</span>
      </div>
      <p>
        Task callbacks and alert webhooks carry <code>X-Switchboard-Signature</code>, an HMAC-SHA256 made with this secret; receivers check it with the same
        secret (<code>switchboard secret</code> prints it too).
      </p>
      {data === undefined ? (
        query.error === undefined ? (
          <p className="muted">Loading…</p>
        ) : (
          <HubErrorText error={query.error} />
        )
      ) : (
        <>
          <p className="mono settings-path" data-testid="callback-secret">
            {revealed ? data.secret : `${data.secret.slice(0, 5)}${'•'.repeat(24)}`}
          </p>
          <p className="muted">
            Made {when(data.created_at)}.
            {data.previous_valid_until === null ? null : ` The previous secret also signs until ${when(data.previous_valid_until)}.`}
          </p>
          <p className="toolbar">
            <button type="button" onClick={() => setRevealed(!revealed)}>
              {revealed ? 'Hide' : 'Reveal'}
            </button>
            <button type="button" onClick={() => void copy()}>
              Copy
            </button>
            {confirming ? (
              <>
                <button type="button" className="primary" onClick={() => void rotate()} data-testid="rotate-confirm">
                  Rotate now
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Rotate…
              </button>
            )}
            {note === undefined ? null : (
              <span className="muted" role="status">
                {note}
              </span>
            )}
          </p>
          {confirming ? (
            <p className="muted">A new secret signs from now on; for 24 hours the old one signs beside it, so receivers still holding it keep working.</p>
          ) : null}
          <HubErrorText error={failure} />
        </>
      )}
    </section>
  );
}
