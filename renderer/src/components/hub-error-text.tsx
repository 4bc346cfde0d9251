/** An error from the hub as text next to what failed: its code and message. */
import { HubRequestError } from '../api/http.js';

/** Whatever a request threw, as a hub error (a bug in the window becomes SB_ERR_INTERNAL). */
export function toHubError(caught: unknown): HubRequestError {
  return caught instanceof HubRequestError ? caught : new HubRequestError(0, 'SB_ERR_INTERNAL', caught instanceof Error ? caught.message : String(caught));
}

export function HubErrorText({ error, id }: { error: HubRequestError | undefined; id?: string }) {
  if (error === undefined) return null;
  return (
    <p className="field-error" role="alert" id={id}>
      <span className="mono">{error.code}</span>: {error.message}
    </p>
  );
}
