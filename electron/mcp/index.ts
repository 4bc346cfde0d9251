/**
 * Switchboard's MCP server: the hub's tools for coding assistants, built on the client core like any agent.
 * Two hosts serve it: the hub's `/mcp` route (Streamable HTTP) and `switchboard mcp` (stdio). They import it
 * only from here; it imports nothing of the hub (see docs/decisions.md, "Where MCP lives").
 */
export { agentFromClientName, initializeRequestIn, openHubClient, profileFor, type HubClientOptions } from './hub-connection.js';
export { createSwitchboardMcpServer, type SwitchboardMcpOptions, type SwitchboardMcpServer } from './mcp-server.js';
export { createMcpSessions, MAX_MCP_SESSIONS, type McpSession } from './mcp-sessions.js';
