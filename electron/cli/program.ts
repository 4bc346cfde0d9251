/**
 * Every `switchboard` command, its arguments and options, declared with commander. Each action imports its
 * module only when run, so `switchboard --version` or `--help` loads none of the hub.
 */
import { Command } from 'commander';
import { HUB_VERSION } from '../../shared/index.js';
import type { TaskListOptions } from './listings.js';

const DATA_DIR_HELP = 'the data folder (else SWITCHBOARD_HOME, else the app-data folder)';

/** A command that takes --data-dir, as every command does. */
function withDataDir(command: Command): Command {
  return command.option('--data-dir <dir>', DATA_DIR_HELP);
}

export function buildProgram(): Command {
  const program = new Command('switchboard')
    .description(`Switchboard ${HUB_VERSION}: a local hub for AI agents`)
    .version(HUB_VERSION, '-v, --version', 'print the version')
    .addHelpText(
      'after',
      "\nExit codes: 0 done, 1 failed (the reason is on stderr), 2 a usage error.\nRun `switchboard <command> --help` for a command's options.",
    );

  withDataDir(program.command('serve'))
    .description('run the hub headless until Ctrl-C (default 127.0.0.1:8765)')
    .option('--port <n>', 'the port to listen on (0: a free one)')
    .option('--host <address>', 'the address to bind')
    .action(async (options: { port?: string; host?: string; dataDir?: string }) => (await import('./serve.js')).serve(options));

  withDataDir(program.command('check'))
    .description('check settings.json and the environment without starting a hub; lists every problem')
    .option('--json', 'the findings as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => (await import('./check.js')).check(options));

  program
    .command('selftest')
    .description("check Switchboard's durability on this machine: a scratch hub killed with SIGKILL while agents send; nothing acknowledged may be lost")
    .option('--messages <n>', 'messages to send (100–1000000)', '2000')
    .option('--json', 'end with the figures as one JSON line')
    .action(async (options: { messages?: string; json?: boolean }) => (await import('./selftest.js')).selftest(options));

  withDataDir(program.command('open'))
    .description('open the dashboard in your browser with a one-time login link')
    .option('--print', 'only print the login link, open nothing')
    .action(async (options: { dataDir?: string; print?: boolean }) => (await import('./open.js')).open(options));

  withDataDir(program.command('status'))
    .description('is the hub running, and how busy')
    .option('--json', "the hub's status as JSON")
    .action(async (options: { dataDir?: string; json?: boolean }) => (await import('./status.js')).status(options));

  withDataDir(program.command('agents'))
    .description('the agents the hub knows: online or not, connections, queued messages, tasks in flight')
    .option('--json', 'the agents as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => (await import('./listings.js')).agents(options));

  withDataDir(program.command('tasks'))
    .description('the newest tasks, optionally filtered')
    .option('--state <state>', 'only tasks in this state (submitted, working, input-required, completed, failed, canceled, rejected)')
    .option('--from <agent>', 'only tasks from this agent')
    .option('--to <agent>', 'only tasks for this agent, role or capability')
    .option('--limit <n>', 'at most this many (1–1000)', '100')
    .option('--json', 'the tasks as JSON')
    .action(async (options: TaskListOptions) => (await import('./listings.js')).tasks(options));

  program.addCommand(tokenCommand());

  withDataDir(program.command('secret'))
    .description('print the secret callbacks and webhooks are signed with')
    .option('--rotate', 'make a new one (the previous one keeps signing for a while)')
    .option('--json', 'the secret and its dates as JSON')
    .action(async (options: { dataDir?: string; rotate?: boolean; json?: boolean }) => (await import('./secret.js')).secret(options));

  withDataDir(program.command('send'))
    .description('post one message to a conversation')
    .argument('<conversation>', 'the conversation id')
    .argument('<text...>', 'the message text')
    .option('--type <type>', 'the message type (default text)')
    .option('--as <agent>', 'send as this agent')
    .option('--json', 'the stored message as JSON')
    .action(async (conversation: string, words: string[], options: { dataDir?: string; type?: string; as?: string; json?: boolean }) =>
      (await import('./send.js')).send(conversation, words, options),
    );

  withDataDir(program.command('tail'))
    .description('print messages live, until Ctrl-C')
    .argument('[conversation]', 'only this conversation (default: all)')
    .option('--since <seq>', 'first replay the messages after this seq (0: everything)')
    .option('--json', 'one JSON frame per line')
    .action(async (conversation: string | undefined, options: { dataDir?: string; since?: string; json?: boolean }) =>
      (await import('./tail.js')).tail(conversation, options),
    );

  const exporting = program.command('export').description('export data from the running hub');
  withDataDir(exporting.command('audit'))
    .description('the audit trail as JSON Lines on stdout (switchboard export audit > audit.jsonl)')
    .option('--since <time>', 'only entries from this time on (ISO time or ms since the epoch)')
    .action(async (options: { dataDir?: string; since?: string }) => (await import('./export.js')).exportAudit(options));

  withDataDir(program.command('backup'))
    .description('a consistent copy of the database (the hub may be running)')
    .argument('<file>', 'where to write the copy')
    .action(async (file: string, options: { dataDir?: string }) => (await import('./backup.js')).backup(file, options));

  withDataDir(program.command('restore'))
    .description('check a backup and put it in place of the database (stop the hub first)')
    .argument('<file>', 'the backup to restore')
    .action(async (file: string, options: { dataDir?: string }) => (await import('./backup.js')).restore(file, options));

  withDataDir(program.command('mcp'))
    .description('an MCP server on stdio for coding assistants (the hub must run)')
    .option('--agent <name>', "speak as this agent (default: from the MCP client's name)")
    // The MCP SDK is loaded only for this command, not for every other one.
    .action(async (options: { dataDir?: string; agent?: string }) => (await import('./mcp.js')).mcp(options));

  return program;
}

/** `token create | list | revoke`. A new option for one of them is one `.option(...)` here and one field in token.ts. */
function tokenCommand(): Command {
  const token = new Command('token').description('agent tokens: create, list, revoke');
  withDataDir(token.command('create'))
    .description('a token for one agent, printed alone on stdout (shown once)')
    .argument('<agent>', 'the agent the token is for')
    .option('--label <text>', 'a note shown in token list')
    .option('--value <secret>', 'adopt an existing secret (at least 20 characters; - reads it from stdin) instead of a new one')
    .option('--json', 'the token and its record as JSON')
    .action(async (agent: string, options: { dataDir?: string; label?: string; value?: string; json?: boolean }) =>
      (await import('./token.js')).createToken(agent, options),
    );
  withDataDir(token.command('list'))
    .description('every token: who holds it, active, revoked or expired, last use')
    .option('--json', 'the tokens as JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => (await import('./token.js')).listTokens(options));
  withDataDir(token.command('revoke'))
    .description('revoke a token and close its connections')
    .argument('<id>', 'the token id (from token list)')
    .action(async (id: string, options: { dataDir?: string }) => (await import('./token.js')).revokeToken(id, options));
  return token;
}
