#!/usr/bin/env node
/** The `switchboard` command: serve the hub headless, small tools for people (dashboard, status, tokens, callback secret, send, tail, export, backups), and the MCP bridge. */
import { ConfigError } from '../hub/config.js';
import { HubStartError } from '../hub/start-error.js';
import { HUB_VERSION } from '../../shared/index.js';
import { backup, restore } from './backup.js';
import { exportCommand } from './export.js';
import { CliError } from './hub-client.js';
import { open } from './open.js';
import { secret } from './secret.js';
import { send } from './send.js';
import { serve } from './serve.js';
import { status } from './status.js';
import { tail } from './tail.js';
import { token } from './token.js';

const USAGE = `Switchboard ${HUB_VERSION} — a local hub for AI agents

Usage:
  switchboard serve [--port N] [--host H] [--data-dir DIR]   run the hub (default 127.0.0.1:8765)
  switchboard open [--print]                                 the dashboard in your browser (--print: only print its login link)
  switchboard status [--json]                                is the hub running, and how busy
  switchboard token create <agent> [--label TEXT]            a token for one agent (shown once)
  switchboard token list | revoke <id>
  switchboard secret [--rotate]                              the secret callbacks and webhooks are signed with (--rotate: a new one)
  switchboard send <conversation> <text> [--type T] [--as AGENT]
  switchboard tail [conversation] [--since SEQ] [--json]     print messages live
  switchboard export audit [--since TIME] > audit.jsonl      the audit trail as JSON Lines (TIME: ISO or ms)
  switchboard backup <file>                                  a consistent copy of the database (the hub may be running)
  switchboard restore <file>                                 check a backup and put it in place (stop the hub first)
  switchboard mcp [--agent NAME]                             MCP server on stdio for coding assistants (the hub must run)

Every command takes --data-dir DIR (else SWITCHBOARD_HOME, else the app-data folder).
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  serve,
  open,
  status,
  token,
  secret,
  send,
  tail,
  export: exportCommand,
  backup,
  restore,
  // The MCP SDK is loaded only for this command, not for every other one.
  mcp: async (argv) => (await import('./mcp.js')).mcp(argv),
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${HUB_VERSION}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new CliError(`Unknown command "${name}".\n\n${USAGE}`);
  await command(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CliError || error instanceof HubStartError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true)
    process.stderr.write(`${error.message}\n\n${USAGE}`);
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
