/** Full-text search over messages (SQLite FTS5): words, prefixes and diacritics, paging, who may see what, safe queries, no stale hits. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { MIGRATIONS } from '../../electron/hub/store/migrations.js';
import { agentToken, api, startHub, tempDir, useHub, type TestHub } from '../helpers/hub.js';
import { errorBody } from '../helpers/raw-http.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();

async function post(hub: TestHub, conversation: string, content: string, extra: Record<string, unknown> = {}): Promise<StoredMessage> {
  const { status, body } = await api(hub, 'POST', '/api/messages', { body: { conversation_id: conversation, content, ...extra } });
  if (status !== 201) throw new Error(`not stored: ${JSON.stringify(body)}`);
  return body['message'] as StoredMessage;
}

async function search(hub: TestHub, query: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return api(hub, 'GET', `/api/search?${query}`, token === undefined ? {} : { token });
}

const hits = (body: Record<string, unknown>): { seq: number; snippet: string }[] =>
  (body['results'] as (StoredMessage & { snippet: string })[]).map((r) => ({ seq: r.seq, snippet: r.snippet }));

describe('full-text search', () => {
  it('finds words in content and payload, newest first, as whole messages with the match marked in a snippet', async () => {
    const hub = ctx.hub;
    const crashed = await post(hub, 'general', 'The parser crashed on empty input', { client_msg_id: 'c-1' });
    await post(hub, 'review', 'Café menu for Friday');
    const fixed = await post(hub, 'general', 'parser fixed', { message_type: 'insight' });
    const dessert = await post(hub, 'review', 'see the payload', { payload: { file: 'lexer.ts', note: 'Crème brûlée' } });
    const found = await search(hub, 'q=parser');
    expect(found).toEqual({
      status: 200,
      body: {
        status: 'ok',
        results: [
          { ...fixed, snippet: '[[parser]] fixed' },
          { ...crashed, snippet: 'The [[parser]] crashed on empty input' },
        ],
        next_before: null,
      },
    });
    const seqsOf = async (q: string): Promise<number[]> => hits((await search(hub, `q=${encodeURIComponent(q)}`)).body).map((h) => h.seq);
    expect({
      accentless: hits((await search(hub, 'q=cafe')).body),
      inPayload: hits((await search(hub, 'q=CREME')).body),
      prefix: await seqsOf('pars*'),
      partialWordWithoutStar: await seqsOf('pars'),
      everyWordMustMatch: await seqsOf('parser crashed'),
      noMatch: await seqsOf('tokenizer'),
    }).toEqual({
      accentless: [{ seq: 2, snippet: '[[Café]] menu for Friday' }],
      inPayload: [{ seq: dessert.seq, snippet: '{"file":"lexer.ts","note":"[[Crème]] brûlée"}' }],
      prefix: [fixed.seq, crashed.seq],
      partialWordWithoutStar: [],
      everyWordMustMatch: [crashed.seq],
      noMatch: [],
    });
  });

  it('pages backwards with before and limit, giving next_before until the last page', async () => {
    const hub = ctx.hub;
    for (let i = 1; i <= 5; i++) await post(hub, 'general', `ping number ${i}`);
    const pages = [];
    let query = 'q=ping&limit=2';
    for (;;) {
      const { body } = await search(hub, query);
      pages.push({ seqs: hits(body).map((h) => h.seq), next_before: body['next_before'] });
      if (body['next_before'] === null) break;
      query = `q=ping&limit=2&before=${String(body['next_before'])}`;
    }
    expect(pages).toEqual([
      { seqs: [5, 4], next_before: 4 },
      { seqs: [3, 2], next_before: 2 },
      { seqs: [1], next_before: null },
    ]);
  });

  it('filters by conversation, and shows an agent only the conversations it may read', async () => {
    const hub = ctx.hub;
    await api(hub, 'POST', '/api/conversations', { body: { conversation_id: 'secret', members: ['alice'] } });
    const open = await post(hub, 'general', 'the plan for today');
    const hidden = await post(hub, 'secret', 'the secret plan');
    const alice = await agentToken(hub, 'alice');
    const bob = await agentToken(hub, 'bob');
    const seqs = async (query: string, token?: string): Promise<number[]> => hits((await search(hub, query, token)).body).map((h) => h.seq);
    expect({
      admin: await seqs('q=plan'),
      adminInGeneral: await seqs('q=plan&conversation=general'),
      member: await seqs('q=plan', alice),
      outsider: await seqs('q=plan', bob),
      outsiderAsksForIt: await search(hub, 'q=plan&conversation=secret', bob),
    }).toEqual({
      admin: [hidden.seq, open.seq],
      adminInGeneral: [open.seq],
      member: [hidden.seq, open.seq],
      outsider: [open.seq],
      outsiderAsksForIt: { status: 403, body: errorBody('SB_ERR_FORBIDDEN', 'agent "bob" is not a member of conversation "secret"') },
    });
  });

  it('takes any text as plain words: no input is an SQL or FTS syntax error', async () => {
    const hub = ctx.hub;
    const message = await post(hub, 'general', 'NOT a parser AND not a lexer');
    const inputs = [
      '"',
      "'",
      '"parser',
      'parser"',
      'AND OR NOT',
      'NEAR(parser lexer)',
      'content:parser',
      '*',
      '**',
      '(',
      ')',
      '^parser',
      '-parser',
      '+',
      '{content payload}: parser',
      "'; DROP TABLE messages; --",
      'a*b*',
      '\\',
      '""""',
      '%',
    ];
    const answers = [];
    for (const q of inputs) answers.push((await search(hub, `q=${encodeURIComponent(q)}`)).status);
    expect({
      answers,
      quoteIsText: hits((await search(hub, `q=${encodeURIComponent('"parser')}`)).body).map((h) => h.seq),
      operatorsAreWords: hits((await search(hub, 'q=AND%20NOT')).body).map((h) => h.seq),
      stillThere: hits((await search(hub, 'q=lexer')).body).map((h) => h.seq),
    }).toEqual({ answers: inputs.map(() => 200), quoteIsText: [message.seq], operatorsAreWords: [message.seq], stillThere: [message.seq] });
  });

  it('refuses an empty search, or a bad limit, with 400 SB_ERR_VALIDATION', async () => {
    const hub = ctx.hub;
    const empty = errorBody('SB_ERR_VALIDATION', 'q is empty: give the words to search for, as in /api/search?q=parser');
    expect([
      await search(hub, ''),
      await search(hub, 'q='),
      await search(hub, 'q=%20%20'),
      await search(hub, 'q=%00'),
      (await search(hub, 'q=x&limit=0')).status,
    ]).toEqual([{ status: 400, body: empty }, { status: 400, body: empty }, { status: 400, body: empty }, { status: 400, body: empty }, 400]);
  });

  it('leaves no stale hit in the index when a message row is deleted', async () => {
    const hub = ctx.hub;
    const gone = await post(hub, 'general', 'ephemeral words');
    const kept = await post(hub, 'general', 'lasting words');
    // A search indexes every stored message first, so both are in the index before one goes.
    await search(hub, 'q=words');
    const db = new Database(join(hub.dataDir, 'switchboard.db'));
    let indexed: number[];
    try {
      db.prepare('DELETE FROM messages WHERE seq = ?').run(gone.seq);
      // Straight from the index (no join with messages, which would hide a stale entry), then FTS5's own check against the table.
      indexed = db
        .prepare<[], { seq: number }>("SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH 'words OR ephemeral' ORDER BY rowid")
        .all()
        .map((r) => r.seq);
      db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
    } finally {
      db.close();
    }
    expect({ indexed, found: hits((await search(hub, 'q=words')).body).map((h) => h.seq) }).toEqual({ indexed: [kept.seq], found: [kept.seq] });
  });

  it('keeps the index whole when a message goes before it was indexed', async () => {
    const hub = ctx.hub;
    const kept = await post(hub, 'general', 'steady words');
    const db = new Database(join(hub.dataDir, 'switchboard.db'));
    try {
      db.pragma('busy_timeout = 5000');
      // Stored and deleted in one transaction, so no indexing run can come between.
      db.transaction(() => {
        const { lastInsertRowid } = db
          .prepare("INSERT INTO messages (conversation_id, sender, message_type, content, created_at) VALUES ('general', 'ghost', 'text', 'fleeting words', 0)")
          .run();
        db.prepare('DELETE FROM messages WHERE seq = ?').run(lastInsertRowid);
      })();
    } finally {
      db.close();
    }
    const found = hits((await search(hub, 'q=words')).body).map((h) => h.seq);
    const check = new Database(join(hub.dataDir, 'switchboard.db'));
    try {
      check.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
    } finally {
      check.close();
    }
    expect(found).toContain(kept.seq);
  });
});

/** The highest seq the search index holds, read from the hub's database file. */
function indexedUpTo(dataDir: string): number {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db.prepare<[], { seq: number }>('SELECT seq FROM search_mark').get()?.seq ?? 0;
  } finally {
    db.close();
  }
}

/** Rows of the index itself matching `query` (no join with messages, which would hide a missing or stale entry). */
function indexRows(dataDir: string, query: string): number[] {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db
      .prepare<[string], { seq: number }>('SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid')
      .all(query)
      .map((r) => r.seq);
  } finally {
    db.close();
  }
}

describe('indexing after the commit', () => {
  it('indexes stored messages in the background, with no search asking for it', async () => {
    const hub = ctx.hub;
    const first = await post(hub, 'general', 'background indexing');
    const second = await post(hub, 'review', 'indexing again');
    await eventually(() => (indexedUpTo(hub.dataDir) >= second.seq ? true : undefined), 'the index to reach the last message');
    expect(indexRows(hub.dataDir, 'indexing')).toEqual([first.seq, second.seq]);
  });

  it('indexes, after a restart, messages a crash left committed but not yet indexed', async () => {
    const dataDir = tempDir();
    const before = await startHub({ dataDir });
    const stored = await post(before, 'general', 'survivor words');
    await before.stop();
    // What a kill -9 between a commit and its indexing leaves: a stored message above the index's mark.
    const db = new Database(join(dataDir, 'switchboard.db'));
    const orphan = Number(
      db
        .prepare("INSERT INTO messages (conversation_id, sender, message_type, content, created_at) VALUES ('general', 'alice', 'text', 'orphan words', 0)")
        .run().lastInsertRowid,
    );
    db.close();
    const after = await startHub({ dataDir });
    try {
      await eventually(() => (indexedUpTo(dataDir) >= orphan ? true : undefined), 'the restarted hub to index what was left');
      expect(indexRows(dataDir, 'words')).toEqual([stored.seq, orphan]);
    } finally {
      await after.stop();
    }
  });
});

describe('the search index on an older database', () => {
  it('indexes the messages stored before the migration that adds it', async () => {
    const dataDir = tempDir();
    const db = new Database(join(dataDir, 'switchboard.db'));
    for (const sql of MIGRATIONS.slice(0, 7)) db.exec(sql);
    db.pragma('user_version = 7');
    const insert = db.prepare(
      "INSERT INTO messages (conversation_id, sender, message_type, content, payload, created_at) VALUES ('general', 'alice', 'message', ?, ?, ?)",
    );
    insert.run('an old message about the parser', null, Date.now());
    insert.run('another old one', JSON.stringify({ topic: 'parser' }), Date.now());
    db.close();
    const hub = await startHub({ dataDir });
    try {
      expect(hits((await search(hub, 'q=parser')).body)).toEqual([
        { seq: 2, snippet: '{"topic":"[[parser]]"}' },
        { seq: 1, snippet: 'an old message about the [[parser]]' },
      ]);
    } finally {
      await hub.stop();
    }
  });
});
