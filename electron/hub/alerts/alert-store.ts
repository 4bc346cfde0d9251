/** Alerts in SQLite (the `alerts` table) and the alert settings (the `alerts` row of the `settings` table). */
import type { AlertRecord, AlertRule, AlertState } from '../../../shared/index.js';
import type { Db } from '../store/database.js';
import { createSettingsStore } from '../store/settings-store.js';

/** The alert times: ISO strings in an {@link AlertRecord}, epoch ms in an {@link Alert}. */
type AlertTime = 'first_at' | 'last_at' | 'resolved_at' | 'acknowledged_at';

/** An alert as the engine works with it: times as epoch ms; otherwise field for field an {@link AlertRecord}. */
export type Alert = Omit<AlertRecord, AlertTime> & { [K in AlertTime]: null extends AlertRecord[K] ? number | null : number };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function alertRecord(alert: Alert): AlertRecord {
  return {
    ...alert,
    first_at: new Date(alert.first_at).toISOString(),
    last_at: new Date(alert.last_at).toISOString(),
    resolved_at: iso(alert.resolved_at),
    acknowledged_at: iso(alert.acknowledged_at),
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;

export function createAlertStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, number | null, number | null, number, number]>(
    `INSERT INTO alerts (rule, subject, level, state, message, value, threshold, first_at, last_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
  );
  const save = db.prepare<Alert>(
    `UPDATE alerts SET level = @level, state = @state, message = @message, value = @value, occurrences = @occurrences, last_at = @last_at,
       resolved_at = @resolved_at, acknowledged_at = @acknowledged_at, acknowledged_by = @acknowledged_by WHERE id = @id`,
  );
  const byId = db.prepare<[number], Alert>('SELECT * FROM alerts WHERE id = ?');
  const unresolved = db.prepare<[], Alert>("SELECT * FROM alerts WHERE state IN ('open', 'acknowledged') ORDER BY id");
  const list = db.prepare<[{ state: string | null; limit: number }], Alert>(
    'SELECT * FROM alerts WHERE (@state IS NULL OR state = @state) ORDER BY id DESC LIMIT +@limit',
  );
  const counts = db.prepare<[], { state: AlertState; n: number }>('SELECT state, count(*) AS n FROM alerts GROUP BY state');
  const lastRaised = db.prepare<[number], { rule: AlertRule; subject: string; at: number }>(
    'SELECT rule, subject, max(first_at) AS at FROM alerts WHERE first_at >= ? GROUP BY rule, subject',
  );
  const settings = createSettingsStore(db);

  return {
    /** Stores a new open alert and returns it. */
    insert(fields: Pick<Alert, 'rule' | 'subject' | 'level' | 'message' | 'value' | 'threshold'>, now: number): Alert {
      const id = Number(insert.run(fields.rule, fields.subject, fields.level, fields.message, fields.value, fields.threshold, now, now).lastInsertRowid);
      const { rule, subject, level, message, value, threshold } = fields;
      return {
        id,
        rule,
        subject,
        level,
        state: 'open',
        message,
        value,
        threshold,
        occurrences: 1,
        first_at: now,
        last_at: now,
        resolved_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
      };
    },
    save(alert: Alert): void {
      save.run(alert);
    },
    get(id: number): Alert | undefined {
      return byId.get(id);
    },
    /** Open and acknowledged alerts, oldest first (the engine's state after a restart). */
    unresolved(): Alert[] {
      return unresolved.all();
    },
    /** Newest first, optionally in one state. */
    list(state: AlertState | undefined, limit: number): Alert[] {
      return list.all({ state: state ?? null, limit });
    },
    counts(): Record<AlertState, number> {
      const result: Record<AlertState, number> = { open: 0, acknowledged: 0, resolved: 0 };
      for (const row of counts.all()) result[row.state] = row.n;
      return result;
    },
    /** When each rule and subject last had a new alert, since `from` (to restore cooldowns after a restart). */
    lastRaised(from: number): { rule: AlertRule; subject: string; at: number }[] {
      return lastRaised.all(from);
    },
    /** A settings section as stored (parsed JSON), or undefined. */
    readSetting: settings.read,
    writeSetting: settings.write,
  };
}
