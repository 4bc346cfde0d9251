/**
 * `switchboard open [--print]`: a one-time login link to the dashboard, opened in the default browser
 * through a login page in the data folder, so the code never shows in the browser's command line.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
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

export async function open(values: { dataDir?: string | undefined; print?: boolean | undefined }): Promise<void> {
  const opening = values.print !== true;
  // The hub writes the login page (owner-only, in its data folder) and deletes it once the code is used or expires.
  const link = await callHub(connectionFor(values.dataDir), 'POST', '/api/login-links', opening ? { body: { page: true } } : {});
  process.stdout.write(`${String(link['url'])}\n`);
  process.stderr.write('The link works once, for 10 minutes.\n');
  if (opening) openInBrowser(pathToFileURL(String(link['page'])).href);
}
