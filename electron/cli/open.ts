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

/** How long an opener that is still running counts as having handed the page over (xdg-open may wait for the browser). */
const OPENER_GRACE_MS = 5000;

/** Hands the page to the browser; resolves with why it could not, or undefined once the opener succeeded (or is still at it). */
function openInBrowser(url: string): Promise<string | undefined> {
  const [command, args] = browserCommand(url);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { detached: true, stdio: 'ignore' });
    } catch (error) {
      resolve(`${command} could not be started: ${(error as Error).message}`);
      return;
    }
    const timer = setTimeout(() => resolve(undefined), OPENER_GRACE_MS);
    const settle = (reason: string | undefined): void => {
      clearTimeout(timer);
      resolve(reason);
    };
    child.on('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ENOENT' ? `${command} was not found` : `${command} failed: ${error.message}`));
    child.on('exit', (code, signal) =>
      settle(code === 0 ? undefined : `${command} ${signal === null ? `exited with code ${code}` : `was stopped by ${signal}`}`),
    );
    child.unref();
  });
}

export async function open(values: { dataDir?: string | undefined; print?: boolean | undefined }): Promise<void> {
  const opening = values.print !== true;
  // The hub writes the login page (owner-only, in its data folder) and deletes it once the code is used or expires.
  const link = await callHub(connectionFor(values.dataDir), 'POST', '/api/login-links', opening ? { body: { page: true } } : {});
  process.stdout.write(`${String(link['url'])}\n`);
  process.stderr.write('The link works once, for 10 minutes.\n');
  if (!opening) return;
  const failure = await openInBrowser(pathToFileURL(String(link['page'])).href);
  process.stderr.write(
    failure === undefined
      ? 'Opened the dashboard in your default browser.\n'
      : `No browser could be opened (${failure}). Open the link above in a browser on this computer.\n`,
  );
}
