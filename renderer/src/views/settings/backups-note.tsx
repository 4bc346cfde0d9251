/** Where the data lives and how it is backed up. Text only: backups are run by the desktop app and the CLI, not from this page. */

/** The folder of a file path, for either separator. */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut <= 0 ? path : path.slice(0, cut);
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
      <p>
        Scheduled backups (with how many to keep) and restoring a backup are set up in the desktop app, and from a terminal with{' '}
        <code>switchboard backup &lt;file&gt;</code> and <code>switchboard restore &lt;file&gt;</code> — both arrive with the desktop shell.
      </p>
      <p className="muted">
        Until then, copy <code>switchboard.db</code> while the hub is stopped, or take a consistent copy while it runs with{' '}
        <code>sqlite3 switchboard.db ".backup backup.db"</code> (see Backups in the README).
      </p>
    </section>
  );
}
