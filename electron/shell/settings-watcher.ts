/**
 * Watches settings.json (written by the dashboard's settings page, or by hand) and asks the host to
 * reload it. The folder is watched, not the file: editors replace files, which ends a file watch.
 */
import { watch } from 'node:fs';
import { basename } from 'node:path';
import { settingsFilePath } from '../common/settings-file.js';

/** Editors write in bursts; wait for the file to settle. */
const SETTLE_MS = 200;

export function watchSettings(dataDir: string, onChange: () => void): () => void {
  const name = basename(settingsFilePath(dataDir));
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dataDir, (_event, file) => {
    if (file !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
