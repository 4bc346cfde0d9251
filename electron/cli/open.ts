/** `switchboard open [--print]`: a one-time login link to the dashboard, opened in the default browser. */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { callHub, connectionFor } from './hub-client.js';

/** The command that hands a URL to the desktop's default browser. */
function browserCommand(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  // `start` takes its first quoted argument as a window title, hence the empty one.
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '', url]];
  return ['xdg-open', [url]];
}

/** Best effort: the URL is printed anyway, so a missing or failing opener is ignored. */
function openInBrowser(url: string): void {
  const [command, args] = browserCommand(url);
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // spawn itself can throw (bad arguments on some platforms); the printed URL still works.
  }
}

export async function open(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, print: { type: 'boolean' } } });
  const link = await callHub(connectionFor(values['data-dir']), 'POST', '/api/login-links');
  const url = String(link['url']);
  process.stdout.write(`${url}\n`);
  process.stderr.write('The link works once, for 10 minutes.\n');
  if (values.print !== true) openInBrowser(url);
}
