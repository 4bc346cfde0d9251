/** The `settings` table: one row per section (alerts, the last self-test, …), its value JSON. */
import type { Db } from './database.js';

export type SettingsStore = ReturnType<typeof createSettingsStore>;

export function createSettingsStore(db: Db) {
  const read = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
  const write = db.prepare<[string, string, number]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  return {
    /** A section as stored (parsed JSON), or undefined. */
    read(key: string): unknown {
      const text = read.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    write(key: string, value: unknown, now: number): void {
      write.run(key, JSON.stringify(value), now);
    },
  };
}
