/** Errors the client reports: the hub's code and message, or the client's own for a closed or lost connection. */
import { isErrorCode, type ErrorCode } from '../protocol/errors.js';

export class HubError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'HubError';
    this.code = code;
  }

  /** The error of an `error` frame. A code this client does not know (from a newer hub) is kept in front of the message. */
  static fromFrame(frame: Record<string, unknown>): HubError {
    const code = frame['code'];
    const message = String(frame['message']);
    return isErrorCode(code) ? new HubError(code, message) : new HubError('SB_ERR_INTERNAL', `${String(code)}: ${message}`);
  }
}

export const CLIENT_CLOSED = 'SB_ERR_CLIENT_CLOSED' satisfies ErrorCode;
export const DISCONNECTED = 'SB_ERR_DISCONNECTED' satisfies ErrorCode;
