/** Errors the client reports: the hub's code and message, or the client's own for a closed or lost connection. */

export class HubError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'HubError';
    this.code = code;
  }
}

export const CLIENT_CLOSED = 'SB_ERR_CLIENT_CLOSED';
export const DISCONNECTED = 'SB_ERR_DISCONNECTED';
