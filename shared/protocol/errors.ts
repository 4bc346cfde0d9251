/**
 * The one catalogue of Switchboard error codes: a code for programs, a message for people, and for the
 * codes the hub sends an HTTP status and a WebSocket close code for the wire. The codes marked `client`
 * are raised by a client itself (the client core in the SDK, the MCP server and the dashboard, or the
 * Python example), never sent by the hub.
 */

export const ERROR_CATALOGUE = {
  SB_ERR_BAD_JSON: { status: 400, summary: 'The frame is not valid JSON.' },
  SB_ERR_BAD_FRAME: { status: 400, summary: 'The frame is not a JSON object with a string "type".' },
  SB_ERR_UNKNOWN_TYPE: { status: 400, summary: 'No handler is registered for this frame type.' },
  SB_ERR_VALIDATION: { status: 400, summary: 'A field is missing or has the wrong type.' },
  SB_ERR_AUTH: { status: 401, summary: 'The token is missing, wrong or revoked.', close: 4001 },
  SB_ERR_AUTH_REQUIRED: { status: 401, summary: 'Authenticate first with a token.', close: 4001 },
  SB_ERR_AUTH_TIMEOUT: { status: 401, summary: 'No hello frame arrived in time.', close: 4001 },
  SB_ERR_FORBIDDEN: { status: 403, summary: 'This token may not do that.' },
  SB_ERR_HOST: { status: 421, summary: "The Host header is not this hub's address." },
  SB_ERR_ORIGIN: { status: 403, summary: 'Requests from this Origin are not allowed.' },
  SB_ERR_TOO_MANY_CONNECTIONS: { status: 503, summary: 'The connection limit is reached.', close: 1013 },
  SB_ERR_FRAME_TOO_LARGE: { status: 413, summary: 'The frame or body is larger than the limit.', close: 1009 },
  SB_ERR_SLOW_CONSUMER: { status: 503, summary: 'The client reads too slowly; its buffer is full.', close: 1008 },
  SB_ERR_IDLE: { status: 408, summary: 'Nothing was received for too long.', close: 1001 },
  SB_ERR_NOT_FOUND: { status: 404, summary: 'No such resource.' },
  SB_ERR_METHOD: { status: 405, summary: 'This method is not allowed here.' },
  SB_ERR_CONFLICT: { status: 409, summary: 'The resource already exists or is in another state.' },
  SB_ERR_PAUSED: { status: 423, summary: 'The loop breaker paused this conversation; a person resumes it.' },
  SB_ERR_STREAM: { status: 400, summary: 'The stream is unknown, not yours or too large.' },
  SB_ERR_STORAGE: { status: 503, summary: 'The database could not store this; nothing was acknowledged.' },
  SB_ERR_READ_ONLY: { status: 503, summary: 'The hub is read-only because its database is damaged; restore the newest good backup.' },
  SB_ERR_RATE_LIMITED: { status: 429, summary: 'Too many failed attempts from this source; wait and try again.', close: 4001 },
  SB_ERR_HUB_RUNNING: { status: 409, summary: 'A hub (or a restore) holds the data folder; stop it first.' },
  SB_ERR_BACKUP_INVALID: { status: 422, summary: "The file is not a usable Switchboard backup: missing, empty, not SQLite, damaged, or not Switchboard's." },
  SB_ERR_BACKUP_NEWER: { status: 422, summary: 'The backup was made by a newer Switchboard; update Switchboard to restore it.' },
  SB_ERR_SELFTEST_RUNNING: { status: 409, summary: 'A self-test is already running; wait for its result.' },
  SB_ERR_SHUTTING_DOWN: { status: 503, summary: 'The hub is shutting down.', close: 1001 },
  SB_ERR_HEARTBEAT_TIMEOUT: { status: 408, summary: 'Two pings in a row went unanswered.', close: 1001 },
  SB_ERR_UPGRADE_REQUIRED: { status: 426, summary: 'This is a WebSocket endpoint; connect with a WebSocket client.' },
  SB_ERR_NO_ANSWERER: { status: 503, summary: 'No agent that answers text_message is online, or the one answering went away.' },
  SB_ERR_ANSWER_FAILED: { status: 502, summary: 'The agent answering the text_message reported that it could not.' },
  SB_ERR_NOT_APPROVED: { status: 403, summary: 'This agent name waits for the person at the machine to allow it (approveNewAgents).' },
  SB_ERR_DENIED: { status: 403, summary: 'The person at the machine denied this agent name.', close: 4003 },
  SB_ERR_APPROVAL_TIMEOUT: { status: 408, summary: 'Nobody allowed this agent name in time.', close: 4008 },
  SB_ERR_INTERNAL: { status: 500, summary: 'An unexpected error; the hub keeps running.' },
  SB_ERR_DISCONNECTED: { client: true, summary: 'Not connected to the hub, or the connection closed before the answer came.' },
  SB_ERR_CLIENT_CLOSED: { client: true, summary: 'The client was closed; it sends nothing more.' },
  SB_ERR_OUTBOX_FULL: { client: true, summary: 'The outbox was full: this unsent message was dropped to make room.' },
  SB_ERR_UNREACHABLE: { client: true, summary: 'The hub could not be reached over HTTP.' },
  SB_ERR_NO_HUB: { client: true, summary: "No hub's connection.json was found, or it lacks what the client needs." },
  SB_ERR_HTTP: { client: true, summary: 'The hub answered with an HTTP error that carried no Switchboard error.' },
} as const satisfies Record<string, { status: number; summary: string; close?: number } | { client: true; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes the hub sends, each with its HTTP status. */
export type HubErrorCode = { [Code in ErrorCode]: (typeof ERROR_CATALOGUE)[Code] extends { status: number } ? Code : never }[ErrorCode];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

export function isHubErrorCode(value: unknown): value is HubErrorCode {
  return isErrorCode(value) && 'status' in ERROR_CATALOGUE[value];
}

/** An error the hub reports to a client: `code` is stable, `message` says exactly what went wrong. */
export class SwitchboardError extends Error {
  readonly code: HubErrorCode;

  constructor(code: HubErrorCode, message: string = ERROR_CATALOGUE[code].summary) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

/** The WebSocket close code that goes with an error code, if that error ends the connection. */
export function closeCodeFor(code: ErrorCode): number | undefined {
  const entry = ERROR_CATALOGUE[code];
  return 'close' in entry ? entry.close : undefined;
}
