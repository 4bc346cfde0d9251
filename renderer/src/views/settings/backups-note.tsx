/**
 * Where the data lives and how it is backed up. Inside the desktop app the window can export a backup
 * and open the data folder through the preload bridge; in a browser it shows the CLI commands instead.
 */
import { useState } from 'react';

/** The folder of a file path, for either separator. */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut <= 0 ? path : path.slice(0, cut);
}

function DesktopBackupActions() {
  const bridge = window.switchboard;
  const [note, setNote] = useState<string | undefined>(undefined);
  if (bridge === undefined) return null;
  const exportBackup = async (): Promise<void> => {
    setNote('Choosing where to save…');
    try {
      const saved = await bridge.exportBackup();
      setNote(saved === undefined ? undefined : `Saved ${saved.file} (messages up to #${saved.lastSeq}).`);
    } catch (error) {
      setNote(`Backup failed: ${(error as Error).message}`);
    }
  };
  return (
    <p className="toolbar">
      <button type="button" className="primary" onClick={() => void exportBackup()}>
        Export backup…
      </button>
      <button type="button" onClick={() => void bridge.openDataFolder()}>
        Open data folder
      </button>
      {note === undefined ? null : (
        <span className="muted" role="status" data-testid="backup-note">
          {note}
        </span>
      )}
    </p>
  );
}

export function BackupsNote({ settingsPath }: { settingsPath: string | undefined }) {
  return (
    <section className="card settings-group" aria-labelledby="settings-backups" data-testid="settings-backups">
      <h2 id="settings-backups">Backups</h2>
      {settingsPath === undefined ? null : (
        <p>
          Data folder:{' '}
          <span className="mono settings-path" data-testid="data-folder">
            {folderOf(settingsPath)}
          </span>
          <br />
          <span className="muted">
            It holds the database (<code>switchboard.db</code>), the logs, <code>connection.json</code> and <code>settings.json</code>.
          </span>
        </p>
      )}
      <DesktopBackupActions />
      <p>
        The hub makes a consistent copy of the database on the schedule above, into the backup folder, and deletes its own scheduled copies once they are older
        than the days to keep. From a terminal: <code>switchboard backup &lt;file&gt;</code> while the hub runs, and{' '}
        <code>switchboard restore &lt;file&gt;</code> with the hub stopped — it checks the file first and keeps the database it replaces.
      </p>
    </section>
  );
}
