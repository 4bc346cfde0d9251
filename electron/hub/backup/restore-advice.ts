/** How a person gets a sound database back: the newest backup in the backups folder and the two ways to restore it. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Backups the hub wrote (scheduled and manual); not the `before-restore-…` copies of replaced databases. */
const BACKUP_NAME = /^switchboard-.*\.db$/;

/** The most recently written backup in `folder`, or undefined when it has none (or cannot be read). */
export function newestBackup(folder: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => BACKUP_NAME.test(name));
  } catch {
    return undefined;
  }
  let newest: { file: string; time: number } | undefined;
  for (const name of names) {
    const file = join(folder, name);
    const time = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (time !== undefined && (newest === undefined || time > newest.time)) newest = { file, time };
  }
  return newest?.file;
}

/** One or two sentences: what to run (or choose in the tray) to restore the newest backup. */
export function restoreAdvice(folder: string): string {
  const newest = newestBackup(folder);
  if (newest === undefined) {
    return `No backup was found in ${folder}: stop the hub and run "switchboard restore <backup file>" with a backup you keep elsewhere, or choose Restore backup… in the tray menu.`;
  }
  return `Restore the newest backup: stop the hub and run "switchboard restore ${newest}", or choose Restore backup… in the tray menu.`;
}
