/**
 * Why a hub could not start, as one sentence for a person: what went wrong, where, and what to do. Hosts
 * show it (the terminal, the tray) and keep the stack for the log.
 */
import { HubStartError } from '../../common/start-error.js';

export interface StartContext {
  dataDir: string;
  host: string;
  port: number;
}

const NO_WRITE = (where: string, code: string, dataDir: string): string =>
  `Switchboard may not write ${where} (${code}): make the data folder ${dataDir} and the files in it yours and writable, or use another data folder.`;

const FULL = (dataDir: string, code: string): string =>
  `The disk that holds the data folder ${dataDir} is full (${code}): free some space, then start the hub again.`;

/** The sentence for an error `hub.start()` threw (a port already in use is for the host to word, with its own advice). */
export function startFailureMessage(error: unknown, context: StartContext): string {
  if (error instanceof HubStartError) return error.message;
  const { dataDir, host, port } = context;
  const { code = '', path, syscall } = error as NodeJS.ErrnoException;
  const where = path ?? dataDir;
  if (syscall === 'listen' && (code === 'EACCES' || code === 'EPERM')) {
    return `Switchboard may not listen on port ${port} of ${host} (${code}): ports below 1024 need administrator rights, so choose a port from 1024 up.`;
  }
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return NO_WRITE(where, code, dataDir);
    case 'EROFS':
      return `The data folder ${dataDir} is on a read-only file system (${code} writing ${where}): the hub writes its database there, so use a writable folder.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return FULL(dataDir, code);
    case 'ENOTDIR':
    case 'EEXIST':
      return `The data folder ${dataDir} cannot be made: part of that path is a file, not a folder (${code}). Move the file away, or use another data folder.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (${code}), so the hub cannot listen there: use 127.0.0.1, or an address this machine has.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name ${host} could not be resolved (${code}): give an address such as 127.0.0.1 instead.`;
    case 'SQLITE_FULL':
      return FULL(dataDir, code);
  }
  // SQLite errors carry no path: they are about the database or the lock file in the data folder.
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code)) {
    return `Switchboard cannot open or write its files in ${dataDir} (${code}): make the folder and the files in it yours and writable, or use another data folder.`;
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return `Reading or writing the database in ${dataDir} failed (${code}): the disk may be full, failing or gone; check it, then start the hub again.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The hub could not start: ${message.split('\n')[0] ?? ''}`;
}
