/**
 * Runs one `switchboard` command line (program.ts) and turns what went wrong into a message and an exit code.
 * Two hosts call it: the `switchboard` script under Node (main.ts), and the desktop app's own binary when it
 * is started with a command (electron/main), which is how installer builds provide the command.
 */
import { CommanderError, type Command } from 'commander';
import { ConfigError } from '../common/config-error.js';
import { HubStartError } from '../common/start-error.js';
import { CliError } from './hub-client.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
const FAILED = 1;
const USAGE_ERROR = 2;

/** Every command, subcommands included: errors come back to runCli() instead of exiting, and a mistyped name gets a suggestion. */
function followConventions(command: Command): void {
  command
    .exitOverride()
    .helpOption('-h, --help', 'show this help')
    .showSuggestionAfterError(true)
    .showHelpAfterError(`(run \`${fullName(command)} --help\` for usage)`);
  if (command.commands.length > 0) command.helpCommand('help [command]', 'show help for a command');
  for (const sub of command.commands) followConventions(sub);
}

function fullName(command: Command): string {
  return command.parent === null ? command.name() : `${fullName(command.parent)} ${command.name()}`;
}

/** A failure of the command itself, in one or a few lines for people: never a stack unless SWITCHBOARD_DEBUG is set. */
function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof CliError || error instanceof HubStartError) return error.message;
  if (process.env['SWITCHBOARD_DEBUG'] !== undefined && error instanceof Error) return error.stack ?? error.message;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)} (set SWITCHBOARD_DEBUG=1 for details)`;
}

/** The command names the program knows, for a host deciding whether its arguments are a command line. */
export function commandNames(): string[] {
  return buildProgram().commands.map((command) => command.name());
}

/** Commands whose action returns once they are up and that keep the process running, until a signal (or, for mcp, the end of stdin). */
const KEEPS_RUNNING: ReadonlySet<string> = new Set(['serve', 'tail', 'mcp']);

export interface CliOutcome {
  exitCode: number;
  /** An error ended the command part-way: whatever it had opened should be closed by exiting now. */
  aborted: boolean;
  /** The long-running command that started (serve, tail, mcp), which ends the process itself. */
  running?: string;
}

/** Runs the command line and resolves once the command's action has returned. */
export async function runCli(argv: string[]): Promise<CliOutcome> {
  const program = buildProgram();
  followConventions(program);
  if (argv.length === 0) {
    program.outputHelp();
    return { exitCode: 0, aborted: false };
  }
  let ran: string | undefined;
  program.hook('postAction', (_program, action) => {
    ran = action.name();
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      process.stderr.write(`${describeFailure(error)}\n`);
      return { exitCode: FAILED, aborted: true };
    }
    // commander has already printed the help, the version or the error with its suggestion.
    // Help asked for (`--help`, `help <command>`) or the version exits 0; help shown for a missing subcommand is a usage error.
    const asked = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || (error.code === 'commander.help' && error.exitCode === 0);
    return { exitCode: asked ? 0 : USAGE_ERROR, aborted: false };
  }
  const exitCode = Number(process.exitCode ?? 0);
  return { exitCode, aborted: false, ...(ran !== undefined && KEEPS_RUNNING.has(ran) ? { running: ran } : {}) };
}
