/**
 * Whether the desktop app was started to run a command line instead of the app: by the command-line tool's
 * shim (`--cli …`), or by a `switchboard <command>` that reaches the app's binary directly (the .deb links
 * it as /usr/bin/switchboard). Plain, so tests run it without Electron.
 */

/** Arguments that ask the program itself for help or its version. */
const PROGRAM_FLAGS = new Set(['-h', '--help', '-v', '--version']);

/**
 * The command line to run, or undefined to start the app. `argv` is the binary's process.argv: the
 * executable, in development also the app's folder (`electron .`), then the user's arguments.
 */
export function cliArguments(argv: readonly string[], app: { packaged: boolean; commands: readonly string[] }): string[] | undefined {
  const args = argv.slice(app.packaged ? 1 : 2);
  const first = args[0];
  if (first === undefined) return undefined;
  if (first === '--cli') return args.slice(1);
  return app.commands.includes(first) || PROGRAM_FLAGS.has(first) ? args : undefined;
}
