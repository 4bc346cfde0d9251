#!/usr/bin/env node
/** The `switchboard` command: parses the command line (program.ts) and turns what went wrong into a message and an exit code. */
import { CommanderError, type Command } from 'commander';
import { CliError } from './hub-client.js';
import { buildProgram } from './program.js';

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
const FAILED = 1;
const USAGE_ERROR = 2;

/** Every command, subcommands included: errors come back to main() instead of exiting, and a mistyped name gets a suggestion. */
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
async function describeFailure(error: unknown): Promise<string> {
  const [{ ConfigError }, { HubStartError }] = await Promise.all([import('../hub/config.js'), import('../hub/start-error.js')]);
  if (error instanceof ConfigError || error instanceof CliError || error instanceof HubStartError) return error.message;
  if (process.env['SWITCHBOARD_DEBUG'] !== undefined && error instanceof Error) return error.stack ?? error.message;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)} (set SWITCHBOARD_DEBUG=1 for details)`;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  followConventions(program);
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // commander has already printed the help, the version or the error with its suggestion.
    // Help asked for (`--help`, `help <command>`) or the version exits 0; help shown for a missing subcommand is a usage error.
    const asked = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || (error.code === 'commander.help' && error.exitCode === 0);
    process.exitCode = asked ? 0 : USAGE_ERROR;
  }
}

main(process.argv.slice(2)).catch(async (error: unknown) => {
  process.stderr.write(`${await describeFailure(error)}\n`);
  process.exit(FAILED);
});
