/**
 * What the shell needs from the desktop: the Electron main process implements it with dialog, shell,
 * Notification and the login-item API; tests implement it with a recorder. Nothing here imports Electron.
 */
/** A page of the dashboard the shell may open the window at. */
export type DashboardPage = 'settings';

export interface ShellPlatform {
  /** Brings the window up, at `page` when given. */
  showWindow(page?: DashboardPage): void;
  /** A save dialog; undefined when the person cancels. */
  chooseBackupFile(defaultPath: string): Promise<string | undefined>;
  /** An open dialog for a backup to restore; undefined when the person cancels. */
  chooseBackupToRestore(defaultFolder: string): Promise<string | undefined>;
  /** Asks before something that cannot be undone from the app; true when the person agrees. */
  confirm(question: string, detail: string, confirmLabel: string): Promise<boolean>;
  openFolder(path: string): Promise<void>;
  launchAtLogin: { get(): boolean; set(enabled: boolean): void };
  /** A desktop notification; `onClick` runs when the person clicks it. */
  notify(title: string, body: string, onClick?: () => void): void;
  /**
   * A notification with buttons (`actions`, by label). Resolves with the index of the button chosen,
   * `clicked` when the notification itself was clicked, or `dismissed`. Where notifications carry no
   * buttons (Linux, Windows) only a click or a dismissal comes back.
   */
  ask(title: string, body: string, actions: readonly string[]): Promise<number | 'clicked' | 'dismissed'>;
  quit(): void;
}
