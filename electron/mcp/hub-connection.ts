/**
 * The client core an MCP session speaks through: a WebSocket to the hub with the caller's token, so auth,
 * presence, the audit trail and the loop breaker treat an assistant like any other agent. And the agent it
 * speaks as: an agent token names its agent; with the admin token the caller names one, or the session
 * takes the MCP client's own name from `initialize`, made into a valid agent id.
 */
import { isInitializeRequest, type Implementation, type InitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';
import { DISCONNECTED, HubError, SwitchboardClient, webSocketTransport, type ClientOptions } from '../../shared/client/index.js';

/** How long the first connection may take before the session gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Used when a client's name has nothing an agent id may hold. */
const FALLBACK_AGENT = 'mcp-client';

/** The `initialize` request in a JSON-RPC message or batch, if there is one. */
export function initializeRequestIn(body: unknown): InitializeRequest | undefined {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  return messages.find(isInitializeRequest);
}

/** "Claude Code" → "claude-code": letters, digits, ".", "_", "@" and "-", starting with a letter or digit, at most 100. */
export function agentFromClientName(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return id === '' ? FALLBACK_AGENT : id;
}

/** How the agent appears in the hub's listings: the client's own title and version. */
export function profileFor(client: Implementation): { display_name: string; kind: string } {
  return { display_name: `${client.title ?? client.name} ${client.version}`.slice(0, 200), kind: 'mcp' };
}

export type HubClientOptions = Pick<ClientOptions, 'url' | 'token' | 'agent' | 'profile'>;

/** Connects and resolves at `welcome`; rejects with the hub's refusal (token, name, connection limit) or when nothing answers. */
export async function openHubClient(options: HubClientOptions): Promise<SwitchboardClient> {
  const client = new SwitchboardClient({ ...options, transport: webSocketTransport(WebSocket) });
  let stopWatching = (): void => {};
  let timer: NodeJS.Timeout | undefined;
  // Before `welcome` a refusal such as the connection limit is an error frame and a close the core would only retry.
  // A new agent name waiting for approval is refused at once too: an assistant's request cannot wait minutes,
  // and the person is asked all the same; once allowed, the next session comes in.
  const refused = new Promise<never>((_, reject) => {
    const stopFrames = client.on('frame', (frame) => {
      if (frame.type === 'error') reject(HubError.fromFrame(frame));
    });
    const stopWaiting = client.on('waiting', (waiting) => reject(new HubError('SB_ERR_NOT_APPROVED', `${waiting.message}; try again once allowed`)));
    stopWatching = () => {
      stopFrames();
      stopWaiting();
    };
    timer = setTimeout(() => reject(new HubError(DISCONNECTED, `the hub did not answer at ${options.url}`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.start(), refused]);
    return client;
  } catch (error) {
    await client.close();
    throw error;
  } finally {
    stopWatching();
    clearTimeout(timer);
  }
}
