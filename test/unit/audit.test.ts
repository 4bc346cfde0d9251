/** The merged audit trail on a real database file: order, ties, pages, `since`, and the shape of an entry. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/index.js';
import { createAudit, type Audit } from '../../electron/hub/read-models/audit.js';
import { closeDatabase, openDatabase, type Db } from '../../electron/hub/store/database.js';
import { createEventStore, type EventStore } from '../../electron/hub/store/event-store.js';
import { createMessageStore, type MessageStore } from '../../electron/hub/store/message-store.js';
import { tempDir } from '../helpers/hub.js';

let dir: string;
let db: Db;
let events: EventStore;
let messages: MessageStore;
let audit: Audit;

beforeEach(() => {
  dir = tempDir('switchboard-audit-');
  db = openDatabase(join(dir, 'audit.db'));
  events = createEventStore(db);
  messages = createMessageStore(db);
  audit = createAudit(db);
});

afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const message = (content: string, at: number, conversation = 'general'): void => {
  messages.insert({ conversation_id: conversation, sender: 'alice', message_type: 'message', content }, at);
};

/** Each entry as `<ms> <kind or content>`, enough to see the order at a glance. */
const summary = (entries: Iterable<AuditEntry>): string[] => [...entries].map((e) => `${Date.parse(e.ts)} ${e.source === 'message' ? e.content : e.kind}`);

describe('the merged audit trail', () => {
  it('orders by time, putting an event before a message of the same millisecond', () => {
    message('a', 1000);
    events.record('auth_failure', 1000);
    message('b', 1001);
    events.record('token_created', 1002);
    events.record('token_revoked', 1002);
    message('c', 1002);
    const all = ['1000 auth_failure', '1000 a', '1001 b', '1002 token_created', '1002 token_revoked', '1002 c'];
    expect({ latest: summary(audit.latest(100)), exported: summary(audit.export()) }).toEqual({ latest: all, exported: all });
  });

  it('returns the newest entries, newest last, when asked for fewer than there are', () => {
    for (let i = 0; i < 5; i++) {
      message(`m${i}`, 2000 + i * 2);
      events.record(`e${i}`, 2001 + i * 2);
    }
    expect(summary(audit.latest(3))).toEqual(['2007 e3', '2008 m4', '2009 e4']);
  });

  it('exports the same trail as latest, across pages, ties and gaps in seq, and from `since`', () => {
    for (let i = 0; i < 1500; i++) {
      message(`m${i}`, 10_000 + i);
      if (i % 7 === 0) events.record(`e${i}`, 10_000 + i, { detail: { i } });
    }
    // A burst of events in one millisecond, longer than a page.
    for (let i = 0; i < 600; i++) events.record('burst', 10_500);
    db.prepare('DELETE FROM messages WHERE seq % 10 = 3').run();
    const everything = audit.latest(100_000);
    expect(everything).toHaveLength(1350 + 215 + 600);
    expect([...audit.export()]).toEqual(everything);
    for (const since of [0, 10_000, 10_003, 10_500, 10_501, 10_777, 11_499, 11_500]) {
      expect([...audit.export({ since })]).toEqual(everything.filter((e) => Date.parse(e.ts) >= since));
    }
  });

  it('leaves out entries stored after the export began', () => {
    message('before', 1000);
    events.record('hub_started', 1000);
    const ids: string[] = [];
    for (const entry of audit.export()) {
      ids.push(entry.id);
      if (ids.length > 1) continue;
      message('after', 1001);
      events.record('late', 1001);
    }
    expect(ids).toEqual(['e_1', 'm_1']);
  });

  it('spreads event detail into the entry, unless it is not an object or would shadow a common field', () => {
    events.record('task.created', 1000, { actor: 'master', subject: 't_1', detail: { state: 'submitted', cmd: 'verify' } });
    events.record('odd', 1001, { detail: { kind: 'forged', ts: 'never' } });
    events.record('list', 1002, { detail: [1, 2] });
    events.record('hub_stopped', 1003);
    message('hello', 1004, 'room');
    const at = (ms: number): string => new Date(ms).toISOString();
    expect(audit.latest(10)).toEqual([
      { ts: at(1000), id: 'e_1', source: 'event', kind: 'task.created', actor: 'master', subject: 't_1', state: 'submitted', cmd: 'verify' },
      { ts: at(1001), id: 'e_2', source: 'event', kind: 'odd', actor: null, subject: null, detail: { kind: 'forged', ts: 'never' } },
      { ts: at(1002), id: 'e_3', source: 'event', kind: 'list', actor: null, subject: null, detail: [1, 2] },
      { ts: at(1003), id: 'e_4', source: 'event', kind: 'hub_stopped', actor: null, subject: null },
      {
        ts: at(1004),
        id: 'm_1',
        source: 'message',
        kind: 'message',
        actor: 'alice',
        subject: 'room',
        seq: 1,
        conversation_id: 'room',
        sender: 'alice',
        message_type: 'message',
        content: 'hello',
      },
    ]);
  });

  it('is empty, not an error, for an empty database or a limit of zero', () => {
    expect({ latest: audit.latest(50), exported: [...audit.export({ since: 5 })] }).toEqual({ latest: [], exported: [] });
    message('a', 1);
    expect(audit.latest(0)).toEqual([]);
  });
});
