import { rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../electron/common/logger.js';
import { MAX_ANSWER_BYTES } from '../../electron/hub/relay/callback-request.js';
import { createCallbackSender, type CallbackSender, type CallbackSenderDeps } from '../../electron/hub/relay/callback-sender.js';
import { signatureHeaders } from '../../electron/hub/relay/callback-signing.js';
import { createCallbackStore, type CallbackRow } from '../../electron/hub/store/callback-store.js';
import { closeDatabase, openDatabase, type Db } from '../../electron/hub/store/database.js';
import { createEventStore } from '../../electron/hub/store/event-store.js';
import { HUB_VERSION } from '../../shared/version.js';
import { startReceiver, type CallbackReceiver } from '../helpers/callback-receiver.js';
import { tempDir } from '../helpers/hub.js';
import { unusedPort } from '../helpers/ports.js';
import { eventually } from '../helpers/wait.js';

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** Everything one test opened, closed after it in reverse order. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Opens (or reopens) the hub database in `dir`; a folder it made itself is removed after the test. */
function openHubDb(dir?: string): { db: Db; dir: string } {
  const folder = dir ?? tempDir();
  if (dir === undefined) cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const db = openDatabase(join(folder, 'hub.db'));
  cleanups.push(() => closeDatabase(db));
  return { db, dir: folder };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<CallbackReceiver> {
  const started = await startReceiver(answer);
  cleanups.push(() => started.close());
  return started;
}

/** A sender on `db` with fast test settings; its log lines are kept so tests can read them. */
function sender(
  db: Db,
  overrides: Partial<CallbackSenderDeps['config']> = {},
  extra: Partial<Pick<CallbackSenderDeps, 'closeGraceMs' | 'resolve' | 'policy'>> = {},
) {
  const lines: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const events = createEventStore(db);
  const callbacks: CallbackSender = createCallbackSender({
    db,
    clock: { now: () => Date.now() },
    logger,
    events,
    config: { callbackRetries: 3, callbackBaseDelayMs: 20, callbackTimeoutMs: 2_000, ...overrides },
    // A hub on loopback, so the loopback receivers are allowed.
    policy: { allowedHosts: [], hubHost: '127.0.0.1', hubPort: () => undefined },
    sign: (body) => signatureHeaders(['test-secret'], body, Date.now()),
    ...extra,
  });
  cleanups.push(() => callbacks.close());
  return { callbacks, events, lines, store: createCallbackStore(db) };
}

/** Waits until the task's only callback has left 'pending' and returns it. */
function settled(db: Db, taskId: string): Promise<CallbackRow> {
  const store = createCallbackStore(db);
  return eventually(() => {
    const row = store.forTask(taskId)[0];
    return row !== undefined && row.state !== 'pending' ? row : undefined;
  }, `the callback of ${taskId} to settle`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('task callbacks', () => {
  it('delivers a callback at once as a JSON POST with the task header, marks it delivered and writes an event, without logging the body', async () => {
    const { db } = openHubDb();
    const target = await receiver(() => 200);
    const { callbacks, events, lines } = sender(db);
    const body = { task_id: 't-1', state: 'completed', result: { answer: 'the secret plan' } };
    db.transaction(() => callbacks.enqueue('t-1', `${target.url}/hooks/done?key=abc`, body, Date.now()))();
    callbacks.wake();
    const row = await settled(db, 't-1');
    const [request] = target.requests;
    expect({
      request: request && { method: request.method, path: request.path, body: JSON.parse(request.body) as unknown, headers: request.headers },
      row: { state: row.state, attempts: row.attempts, last_error: row.last_error },
      events: events.latest(10).map((e) => ({ kind: e.kind, subject: e.subject, detail: e.detail })),
    }).toEqual({
      request: {
        method: 'POST',
        path: '/hooks/done?key=abc',
        body,
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(JSON.stringify(body))),
          'user-agent': `Switchboard/${HUB_VERSION}`,
          'x-switchboard-task': 't-1',
        }) as unknown,
      },
      row: { state: 'delivered', attempts: 1, last_error: null },
      events: [{ kind: 'callback_delivered', subject: 't-1', detail: { callback: row.id, host: new URL(target.url).host, attempts: 1, status: 200 } }],
    });
    expect(target.requests).toHaveLength(1);
    const logged = JSON.stringify(lines);
    expect({ body: logged.includes('secret plan'), path: logged.includes('/hooks/done'), query: logged.includes('key=abc') }).toEqual({
      body: false,
      path: false,
      query: false,
    });
  });

  it('retries after two HTTP 500 answers, each on the record, and is delivered by the third attempt', async () => {
    const { db } = openHubDb();
    const target = await receiver((index) => (index < 2 ? 500 : 204));
    const { callbacks, events } = sender(db);
    callbacks.enqueue('t-2', target.url, { task_id: 't-2' }, Date.now());
    const row = await settled(db, 't-2');
    expect({
      requests: target.requests.length,
      row: { state: row.state, attempts: row.attempts, last_error: row.last_error },
      events: events.latest(10).map((e) => e.kind),
    }).toEqual({
      requests: 3,
      row: { state: 'delivered', attempts: 3, last_error: null },
      events: ['callback_retrying', 'callback_retrying', 'callback_delivered'],
    });
  });

  it('gives up after 1 + callbackRetries attempts, marks the callback failed, writes callback_failed and warns', async () => {
    const { db } = openHubDb();
    const target = await receiver(() => 503);
    const { callbacks, events, lines } = sender(db, { callbackRetries: 3 });
    callbacks.enqueue('t-3', target.url, { task_id: 't-3' }, Date.now());
    const row = await settled(db, 't-3');
    await sleep(200); // long enough for a fifth attempt, if one were (wrongly) scheduled
    expect({
      requests: target.requests.length,
      row: { state: row.state, attempts: row.attempts, last_error: row.last_error },
      events: events.latest(10).map((e) => ({ kind: e.kind, subject: e.subject, detail: e.detail })),
      warnings: lines.filter((l) => l.level === 'warn').map((l) => l.fields),
    }).toEqual({
      requests: 4,
      row: { state: 'failed', attempts: 4, last_error: 'HTTP 503' },
      events: [
        ...[1, 2, 3].map((attempts) => ({
          kind: 'callback_retrying',
          subject: 't-3',
          detail: { callback: row.id, host: new URL(target.url).host, attempts, error: 'HTTP 503', retry_in_ms: 20 * 2 ** (attempts - 1) },
        })),
        { kind: 'callback_failed', subject: 't-3', detail: { callback: row.id, host: new URL(target.url).host, attempts: 4, error: 'HTTP 503' } },
      ],
      warnings: [{ task: 't-3', host: new URL(target.url).host, attempts: 4, error: 'HTTP 503' }],
    });
  });

  it('waits longer before each retry: base × 2^(n-1), with next_at recorded and honoured', async () => {
    const { db } = openHubDb();
    const store = createCallbackStore(db);
    // The receiver reads the row as each attempt arrives: next_at is then the time this attempt was due.
    const dueAt: number[] = [];
    const target = await receiver(() => {
      dueAt.push(store.forTask('t-4')[0]?.next_at ?? NaN);
      return 500;
    });
    const { callbacks, lines } = sender(db, { callbackRetries: 3, callbackBaseDelayMs: 20 });
    callbacks.enqueue('t-4', target.url, {}, Date.now());
    await settled(db, 't-4');
    const arrivals = target.requests.map((r) => r.at);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    expect({
      attempts: arrivals.length,
      retryDelays: lines.filter((l) => l.message.includes('will be retried')).map((l) => l.fields?.['retryInMs']),
      nextAtGrows: dueAt.every((at, i) => i === 0 || at > (dueAt[i - 1] ?? Infinity)),
      // Each retry was due at least base × 2^(n-1) after the attempt before it arrived, and was not sent early.
      dueAfterBackoff: dueAt.slice(1).map((at, i) => at - (arrivals[i] ?? 0) >= 20 * 2 ** i),
      sentWhenDue: arrivals.map((at, i) => at >= (dueAt[i] ?? Infinity)),
      gapsAtLeastBackoff: gaps.map((gap, i) => gap >= 20 * 2 ** i),
    }).toEqual({
      attempts: 4,
      retryDelays: [20, 40, 80],
      nextAtGrows: true,
      dueAfterBackoff: [true, true, true],
      sentWhenDue: [true, true, true, true],
      gapsAtLeastBackoff: [true, true, true],
    });
  });

  it('refuses a metadata or link-local URL at once and for good, without a request or a retry', async () => {
    const { db } = openHubDb();
    const { callbacks, events, lines } = sender(db);
    callbacks.enqueue('t-5', 'http://169.254.169.254/latest/meta-data/', {}, Date.now());
    callbacks.enqueue('t-6', 'http://metadata.google.internal/computeMetadata/v1/', {}, Date.now());
    const [literal, named] = [await settled(db, 't-5'), await settled(db, 't-6')];
    await sleep(100);
    expect({
      rows: [literal, named].map((r) => ({ state: r.state, attempts: r.attempts, last_error: r.last_error })),
      events: events.latest(10).map((e) => ({ kind: e.kind, subject: e.subject })),
      warnings: lines.filter((l) => l.level === 'warn').length,
    }).toEqual({
      rows: [
        { state: 'refused', attempts: 1, last_error: 'callback host 169.254.169.254 is a cloud metadata address; list it in allowedCallbackHosts to allow it' },
        {
          state: 'refused',
          attempts: 1,
          last_error: 'callback host metadata.google.internal is a cloud metadata name; list it in allowedCallbackHosts to allow it',
        },
      ],
      events: [
        { kind: 'callback_refused', subject: 't-5' },
        { kind: 'callback_refused', subject: 't-6' },
      ],
      warnings: 2,
    });
  });

  it("refuses at connect time, before connecting, a host that resolves to loopback while the hub listens beyond it, or to the hub's own port, for good", async () => {
    const { db } = openHubDb();
    const asked: string[] = [];
    // A resolver that answers as an attacker's DNS would (with loopback only: private ranges are covered without any connect in the guard's unit tests).
    const resolve: CallbackSenderDeps['resolve'] = (hostname) => {
      asked.push(hostname);
      return Promise.resolve([{ address: hostname === 'rebind.test' ? '127.0.0.2' : '127.0.0.1', family: 4 }]);
    };
    const { callbacks, events } = sender(db, {}, { resolve, policy: { allowedHosts: [], hubHost: '0.0.0.0', hubPort: () => 8765 } });
    callbacks.enqueue('t-r1', 'http://rebind.test:9000/done', {}, Date.now());
    callbacks.enqueue('t-r2', 'http://hub.test:8765/api/relay/callback', {}, Date.now());
    const rows = [await settled(db, 't-r1'), await settled(db, 't-r2')];
    expect({
      asked: asked.sort(),
      rows: rows.map((r) => ({ state: r.state, attempts: r.attempts, last_error: r.last_error })),
      events: events.latest(10).map((e) => e.kind),
    }).toEqual({
      asked: ['hub.test', 'rebind.test'],
      rows: [
        {
          state: 'refused',
          attempts: 1,
          last_error:
            'callback host rebind.test resolves to 127.0.0.2 is a loopback address, refused while the hub listens beyond loopback; list it in allowedCallbackHosts to allow it',
        },
        { state: 'refused', attempts: 1, last_error: "callback host hub.test resolves to 127.0.0.1, the hub's own address; the hub never calls itself" },
      ],
      events: ['callback_refused', 'callback_refused'],
    });
  });

  it('counts an unanswered request as a failed attempt once callbackTimeoutMs has passed', async () => {
    const { db } = openHubDb();
    let release: () => void = () => {};
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    cleanups.push(() => release());
    const target = await receiver(() => held);
    const { callbacks } = sender(db, { callbackRetries: 0, callbackTimeoutMs: 100 });
    callbacks.enqueue('t-7', target.url, {}, Date.now());
    const row = await settled(db, 't-7');
    expect({ state: row.state, attempts: row.attempts, last_error: row.last_error }).toEqual({
      state: 'failed',
      attempts: 1,
      last_error: 'no answer within 100 ms',
    });
  });

  it('counts a refused connection as a failed attempt', async () => {
    const { db } = openHubDb();
    const port = await unusedPort();
    const { callbacks } = sender(db, { callbackRetries: 1 });
    callbacks.enqueue('t-8', `http://127.0.0.1:${port}/`, {}, Date.now());
    const row = await settled(db, 't-8');
    expect({ state: row.state, attempts: row.attempts, error: row.last_error?.includes('ECONNREFUSED') }).toEqual({
      state: 'failed',
      attempts: 2,
      error: true,
    });
  });

  it('delivers after a restart the callbacks a previous run left pending', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const target = await receiver(() => 200);
    const first = openDatabase(join(dir, 'hub.db'));
    const before = sender(first);
    first.transaction(() => {
      before.callbacks.enqueue('t-9', target.url, { n: 9 }, Date.now());
      before.callbacks.enqueue('t-10', target.url, { n: 10 }, Date.now());
    })();
    // Closed in the same turn as the commit: nothing has been sent yet.
    await before.callbacks.close();
    closeDatabase(first);
    const pendingBefore = target.requests.length;

    const { db } = openHubDb(dir);
    sender(db);
    const rows = [await settled(db, 't-9'), await settled(db, 't-10')];
    expect({
      pendingBefore,
      rows: rows.map((r) => ({ task: r.task_id, state: r.state, attempts: r.attempts })),
      bodies: target.requests.map((r) => r.body).sort(),
    }).toEqual({
      pendingBefore: 0,
      rows: [
        { task: 't-9', state: 'delivered', attempts: 1 },
        { task: 't-10', state: 'delivered', attempts: 1 },
      ],
      bodies: ['{"n":10}', '{"n":9}'],
    });
  });

  it('aborts a request still unanswered after the close grace, without counting it, and sends it again after a restart', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let release: () => void = () => {};
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    cleanups.push(() => release());
    const target = await receiver((index) => (index === 0 ? held : 200));
    const first = openDatabase(join(dir, 'hub.db'));
    const before = sender(first, {}, { closeGraceMs: 50 });
    before.callbacks.enqueue('t-11', target.url, {}, Date.now());
    await eventually(() => (target.requests.length === 1 ? true : undefined), 'the first request to arrive');
    await before.callbacks.close();
    const afterClose = createCallbackStore(first).forTask('t-11')[0];
    closeDatabase(first);

    const { db } = openHubDb(dir);
    sender(db);
    const row = await settled(db, 't-11');
    expect({
      afterClose: afterClose && { state: afterClose.state, attempts: afterClose.attempts },
      row: { state: row.state, attempts: row.attempts },
      requests: target.requests.length,
    }).toEqual({ afterClose: { state: 'pending', attempts: 0 }, row: { state: 'delivered', attempts: 1 }, requests: 2 });
  });

  it('keeps at most 16 callbacks in flight at once, and sends the rest as slots free up', async () => {
    const { db } = openHubDb();
    let release: () => void = () => {};
    const gate = new Promise<number>((resolve) => (release = () => resolve(200)));
    cleanups.push(() => release());
    const target = await receiver(() => gate);
    const { callbacks } = sender(db);
    db.transaction(() => {
      for (let i = 0; i < 20; i++) callbacks.enqueue(`t-c${i}`, target.url, { i }, Date.now());
    })();
    await eventually(() => (target.requests.length >= 16 ? true : undefined), '16 requests to arrive');
    await sleep(150);
    const heldAtOnce = target.waiting;
    release();
    const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => settled(db, `t-c${i}`)));
    expect({ heldAtOnce, requests: target.requests.length, delivered: rows.filter((r) => r.state === 'delivered').length }).toEqual({
      heldAtOnce: 16,
      requests: 20,
      delivered: 20,
    });
  });
});

describe('a receiver that streams its answer forever', () => {
  it("reads at most 64 KiB of each answer, cuts the connection, counts the 2xx as delivered, and the hub's memory stays flat", async () => {
    const { db } = openHubDb();
    const PER_ANSWER = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x78);
    const answers: { sent: number; cut: boolean }[] = [];
    // Answers 200 and then writes 1 MiB chunks as fast as the connection takes them, up to 256 MiB per request.
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let sent = 0;
        res.on('close', () => answers.push({ sent, cut: sent < PER_ANSWER || !res.writableFinished }));
        const pump = (): void => {
          while (sent < PER_ANSWER && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const rssBefore = process.memoryUsage().rss;
    const { callbacks } = sender(db, { callbackRetries: 0, callbackTimeoutMs: 60_000 });
    const tasks = ['t-s1', 't-s2', 't-s3', 't-s4'];
    for (const task of tasks) callbacks.enqueue(task, url, { task_id: task }, Date.now());
    const rows = await Promise.all(tasks.map((task) => settled(db, task)));
    await eventually(() => (answers.length === tasks.length ? true : undefined), 'every answer to end');
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect({
      rows: rows.map((r) => ({ state: r.state, attempts: r.attempts, last_error: r.last_error })),
      cut: answers.map((a) => a.cut),
      // What the receiver handed its socket before the hub hung up: the kernel's buffers, far below what it tried to send.
      sentWellBelowAttempt: answers.every((a) => a.sent >= MAX_ANSWER_BYTES && a.sent < PER_ANSWER / 4),
      rssGrowthBelow50Mb: growthMb < 50,
    }).toEqual({
      rows: tasks.map(() => ({ state: 'delivered', attempts: 1, last_error: null })),
      cut: tasks.map(() => true),
      sentWellBelowAttempt: true,
      rssGrowthBelow50Mb: true,
    });
  });
});
