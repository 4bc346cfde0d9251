/** The MCP client config that launches an installed `switchboard` by its absolute path (assistants start it without a shell's PATH). */
export function mcpStdioConfig(command: string): string {
  return JSON.stringify({ mcpServers: { switchboard: { command, args: ['mcp', '--agent', 'assistant'] } } }, null, 2);
}
