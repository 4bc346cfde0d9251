/**
 * The HTTP API keeps its contract: the hub serves exactly the routes of the shared table, and every answer,
 * success or refusal, fits the route's schema with nothing left over that the schema does not describe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerSchema,
  describeIssues,
  httpRoutes,
  routePath,
  type ErrorCode,
  type HttpPathParams,
  type HttpQuery,
  type HttpRequestBody,
  type HttpRoute,
  type HttpRouteName,
} from '../../shared/index.js';
import { agentToken, api, connectAgent, openSocket, startHub, type TestClient, type TestHub } from '../helpers/hub.js';
import { logIn } from '../helpers/sessions.js';
import { eventually } from '../helpers/wait.js';

/** What the hub serves over HTTP besides its JSON API: the login link's redirect, MCP's own protocol, and WebSocket paths (426). */
const OUTSIDE_CONTRACT = ['GET /login public', 'GET /mcp token', 'POST /mcp token', 'DELETE /mcp token', 'GET /ws public', 'GET /ws/chat public'];

/** A request: the admin token unless `token` says otherwise (null: none). */
interface Exchange<R extends HttpRoute, Body = HttpRequestBody<R>> {
  params?: HttpPathParams<R>;
  query?: { [K in keyof HttpQuery<R>]?: string };
  body?: Body;
  token?: string | null;
  headers?: Record<string, string>;
}

/** A request the route refuses, in whole or (a batch) in part: its status, and the error code when the answer is the error body. */
type Refusal<R extends HttpRoute> = Exchange<R, unknown> & { status: number; code?: ErrorCode };

interface Case<R extends HttpRoute> {
  /** Requests the route answers with success: together they reach each shape its answer may take. */
  ok(f: Fixtures): Exchange<R>[];
  refused(f: Fixtures): Refusal<R>[];
}

/** What the hub holds before the routes are called, each thing made for the case that needs it. */
interface Fixtures {
  hub: TestHub;
  /** A token of agent `worker` (not an admin). */
  workerToken: string;
  /** A token to revoke. */
  spareTokenId: string;
  /** A browser session's Cookie header. */
  cookie: string;
  /** Another one, to log out. */
  cookieToEnd: string;
  /** Seq of a message in `general`. */
  messageSeq: number;
  /** A task nobody takes (submitted). */
  openTask: string;
  /** A task to cancel. */
  taskToCancel: string;
  /** A canceled task, to retry. */
  canceledTask: string;
  /** A task whose worker asked a question (input-required). */
  questionTask: string;
  /** A task for the relay callback to finish. */
  taskToFinish: string;
  /** An open alert. */
  alertId: number;
}

/** One failed interaction, as the seed reports it. */
const FAILURE = { response_time_ms: 120, success: false, error_type: 'Timeout', tools_used: ['search'] };

const CASES: { [N in HttpRouteName]: Case<(typeof httpRoutes)[N]> } = {
  health: {
    ok: () => [{ token: null }],
    refused: () => [{ token: null, headers: { origin: 'http://evil.example' }, status: 403, code: 'SB_ERR_ORIGIN' }],
  },
  hubStatus: {
    ok: () => [{}],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  frameHandlers: {
    ok: () => [{}],
    refused: () => [{ token: 'sb_not-a-token', status: 401, code: 'SB_ERR_AUTH' }],
  },
  listConversations: {
    ok: (f) => [{}, { token: f.workerToken }],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  createConversation: {
    ok: () => [{ body: { conversation_id: 'planning', title: 'Planning', members: ['alice'] } }, { body: { conversation_id: 'general' } }],
    refused: () => [{ body: { members: 'alice' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  resumeConversation: {
    ok: () => [{ params: { id: 'general' } }],
    refused: (f) => [
      { params: { id: 'nowhere' }, status: 404, code: 'SB_ERR_NOT_FOUND' },
      { params: { id: 'general' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' },
    ],
  },
  postMessage: {
    ok: (f) => [
      { body: { conversation_id: 'general', content: 'the parser is fixed', client_msg_id: 'once' }, token: f.workerToken },
      { body: { conversation_id: 'general', content: 'the parser is fixed', client_msg_id: 'once' }, token: f.workerToken },
      { body: { to: 'worker', content: 'a direct word', payload: { n: 1 } } },
    ],
    refused: () => [{ body: { content: 'to nobody' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  readMessages: {
    ok: (f) => [
      { params: { id: 'general' }, query: { since: '0' } },
      { params: { id: 'general' }, query: { before: String(f.messageSeq + 1), limit: '1' } },
    ],
    refused: (f) => [
      { params: { id: 'private' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' },
      { params: { id: 'general' }, query: { limit: '0' }, status: 400, code: 'SB_ERR_VALIDATION' },
    ],
  },
  search: {
    ok: (f) => [{ query: { q: 'parser' } }, { query: { q: 'parser', conversation: 'general', limit: '1' }, token: f.workerToken }],
    refused: () => [{ query: { q: '' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  listAgents: {
    ok: (f) => [{ token: f.workerToken }],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  listTokens: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  createToken: {
    ok: () => [
      { body: { agent: 'reporter', label: 'nightly report' } },
      { body: { agent: 'old-relay', value: 'a-relay-key-from-the-seed-that-is-long-enough' } },
    ],
    refused: () => [{ body: { agent: 'no spaces' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  revokeToken: {
    ok: (f) => [{ params: { id: f.spareTokenId } }],
    refused: () => [{ params: { id: 'tok_none' }, status: 404, code: 'SB_ERR_NOT_FOUND' }],
  },
  createLoginLink: {
    ok: () => [{}, { body: { page: true } }],
    refused: () => [{ body: { page: 'yes' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  session: {
    ok: (f) => [{}, { token: null, headers: { cookie: f.cookie } }],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  logout: {
    ok: (f) => [{ token: null, headers: { cookie: f.cookieToEnd } }],
    refused: () => [{ status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  createTask: {
    ok: () => [
      { body: { to: 'nobody', cmd: 'index', payload: { files: 3 }, idempotency_key: 'index-1' } },
      { body: { to: 'nobody', cmd: 'index', idempotency_key: 'index-1' } },
    ],
    refused: () => [{ body: { to: 'nobody' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  listTasks: {
    ok: (f) => [{}, { query: { state: 'submitted', limit: '2' }, token: f.workerToken }],
    refused: () => [{ query: { state: 'sleeping' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  taskDetail: {
    ok: (f) => [{ params: { id: f.openTask } }, { params: { id: f.questionTask } }],
    refused: () => [{ params: { id: 'no-such-task' }, status: 404, code: 'SB_ERR_NOT_FOUND' }],
  },
  taskLineage: {
    ok: (f) => [{ params: { id: f.openTask } }, { params: { id: f.questionTask } }],
    refused: () => [{ params: { id: 'no-such-task' }, status: 404, code: 'SB_ERR_NOT_FOUND' }],
  },
  messageEffects: {
    ok: (f) => [{ params: { seq: String(f.messageSeq) } }, { params: { seq: String(f.messageSeq) }, token: f.workerToken }],
    refused: (f) => [
      { params: { seq: String(f.messageSeq + 1000) }, status: 404, code: 'SB_ERR_NOT_FOUND' },
      { params: { seq: 'first' }, status: 404, code: 'SB_ERR_NOT_FOUND' },
    ],
  },
  cancelTask: {
    ok: (f) => [{ params: { id: f.taskToCancel }, body: { reason: 'not needed' } }],
    refused: () => [{ params: { id: 'no-such-task' }, body: {}, status: 404, code: 'SB_ERR_NOT_FOUND' }],
  },
  retryTask: {
    ok: (f) => [{ params: { id: f.canceledTask }, body: { to: 'someone-else' } }],
    refused: (f) => [{ params: { id: f.openTask }, body: {}, status: 409, code: 'SB_ERR_CONFLICT' }],
  },
  answerTask: {
    ok: (f) => [{ params: { id: f.questionTask }, body: { answer: { proceed: true } } }],
    refused: (f) => [{ params: { id: f.openTask }, body: { answer: 'main' }, status: 409, code: 'SB_ERR_CONFLICT' }],
  },
  relaySend: {
    ok: (f) => [{ body: { to: 'nobody', cmd: 'summarise' }, token: f.workerToken }],
    refused: (f) => [{ body: { from: 'someone-else', to: 'nobody', cmd: 'summarise' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  relayCallback: {
    ok: (f) => [{ body: { task_id: f.taskToFinish, child_id: 'finisher', status: 'done', result: { pages: 2 } } }],
    refused: (f) => [{ body: { task_id: f.taskToFinish, status: 'finished' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  relayTaskStatus: {
    ok: (f) => [{ params: { id: f.openTask } }],
    refused: () => [{ params: { id: 'no-such-task' }, status: 404, code: 'SB_ERR_NOT_FOUND' }],
  },
  relayLogs: {
    ok: (f) => [{ query: { limit: '200' } }, { token: f.workerToken }],
    refused: () => [{ query: { limit: '0' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  auditExport: {
    ok: () => [{}, { query: { since: '2020-01-01' } }],
    refused: (f) => [
      { query: { since: 'yesterday' }, status: 400, code: 'SB_ERR_VALIDATION' },
      { token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' },
    ],
  },
  postInteractions: {
    ok: (f) => [
      { body: { data: { ...FAILURE, success: true, error_type: null } }, token: f.workerToken },
      { body: { interactions: [FAILURE, FAILURE] }, token: f.workerToken },
    ],
    refused: (f) => [
      { body: [FAILURE, { success: 'maybe' }], token: f.workerToken, status: 207 },
      { body: [{ success: 'maybe' }], token: f.workerToken, status: 400 },
      { body: Array.from({ length: 1001 }, () => FAILURE), token: f.workerToken, status: 400, code: 'SB_ERR_VALIDATION' },
    ],
  },
  agentMetrics: {
    ok: () => [{}, { query: { since: String(Date.now() - 3_600_000), until: new Date(Date.now() + 60_000).toISOString() } }],
    refused: () => [{ query: { since: '2030-01-02', until: '2030-01-01' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  metricRollups: {
    ok: () => [{}, { query: { agent: 'worker', bucket: '1h' } }],
    refused: () => [{ query: { since: '2020-01-01', bucket: '1m' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  messageRates: {
    ok: () => [{ query: { minutes: '5' } }],
    refused: () => [{ query: { minutes: '0' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  prometheusMetrics: {
    ok: () => [{}],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  listAlerts: {
    ok: () => [{}, { query: { state: 'open', limit: '1' } }],
    refused: () => [{ query: { state: 'forgotten' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  acknowledgeAlert: {
    ok: (f) => [{ params: { id: String(f.alertId) } }],
    refused: () => [
      { params: { id: '999999' }, status: 404, code: 'SB_ERR_NOT_FOUND' },
      { params: { id: 'first' }, status: 400, code: 'SB_ERR_VALIDATION' },
    ],
  },
  alertConfig: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  updateAlertConfig: {
    ok: () => [{ body: { error_rate_threshold: 10, webhook_url: null } }],
    refused: () => [{ body: { error_rate_treshold: 10 }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  importAlertConfig: {
    ok: () => [{ body: { error_rate_threshold: 5, enabled: true, email_notifications: false } }],
    refused: () => [{ body: { error_rate_threshold: 500 }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  settings: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  saveSettings: {
    ok: () => [{ body: { maxConnections: 200 } }, { body: { maxConnections: null } }],
    refused: () => [
      { body: { dataDir: '/elsewhere' }, status: 400, code: 'SB_ERR_VALIDATION' },
      { body: { maxConnections: 0 }, status: 400, code: 'SB_ERR_VALIDATION' },
    ],
  },
  callbackSecret: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  rotateCallbackSecret: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  createBackup: {
    ok: () => [{ body: {} }],
    refused: () => [{ body: { file: 'backup.db' }, status: 400, code: 'SB_ERR_VALIDATION' }],
  },
  federation: {
    ok: () => [{}],
    refused: () => [{ token: null, status: 401, code: 'SB_ERR_AUTH' }],
  },
  // The run started here is still going when the second start comes (its scratch hub takes longer to start).
  startSelftest: {
    ok: () => [{ body: { messages: 100 } }],
    refused: (f) => [
      { body: {}, status: 409, code: 'SB_ERR_SELFTEST_RUNNING' },
      { body: { messages: 5 }, status: 400, code: 'SB_ERR_VALIDATION' },
      { body: { count: 100 }, status: 400, code: 'SB_ERR_VALIDATION' },
      { token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' },
    ],
  },
  selftest: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  listApprovals: {
    ok: () => [{}],
    refused: (f) => [{ token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  approveAgent: {
    ok: () => [{ params: { name: 'newcomer' } }],
    refused: (f) => [
      { params: { name: 'newcomer' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' },
      { params: { name: '-bad name-' }, status: 400, code: 'SB_ERR_VALIDATION' },
    ],
  },
  denyAgent: {
    ok: () => [{ params: { name: 'stranger' } }],
    refused: (f) => [{ params: { name: 'stranger' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
  forgetApproval: {
    ok: () => [{ params: { name: 'newcomer' } }, { params: { name: 'never-seen' } }],
    refused: (f) => [{ params: { name: 'newcomer' }, token: f.workerToken, status: 403, code: 'SB_ERR_FORBIDDEN' }],
  },
};

interface Answer {
  status: number;
  /** The parsed bodies: one, or one per line of a JSON Lines answer. */
  bodies: unknown[];
}

/** Sends one request over real HTTP; a refusal is always JSON, a success is read as the route's format says. */
async function exchange(hub: TestHub, route: HttpRoute, request: Exchange<HttpRoute, unknown>): Promise<Answer> {
  const url = new URL(routePath(route, request.params ?? {}), hub.http);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = { ...request.headers };
  const token = request.token === undefined ? hub.token : request.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: route.method, headers, ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }) });
  const text = await response.text();
  if (!route.ok.includes(response.status) || route.format === undefined) return { status: response.status, bodies: [JSON.parse(text)] };
  if (route.format === 'text') return { status: response.status, bodies: [text] };
  return {
    status: response.status,
    bodies: text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown),
  };
}

/** The body as its schema reads it: equal to the body itself when it fits and the schema describes every field. */
function asSchemaReadsIt(route: HttpRoute, status: number, body: unknown): unknown {
  const parsed = answerSchema(route, status).safeParse(body);
  return parsed.success ? parsed.data : `does not fit: ${describeIssues(parsed.error)}`;
}

/** A request the schema accepts; what the hub then does with it is the answer's part. */
function requestFits(schema: HttpRoute['body'] | HttpRoute['query'], value: unknown): string {
  if (schema === undefined) return value === undefined ? 'fits' : 'sent to a route that takes none';
  const parsed = schema.safeParse(value ?? {});
  return parsed.success ? 'fits' : describeIssues(parsed.error);
}

describe('the HTTP API contract', () => {
  let fixtures: Fixtures;
  let started: TestHub | undefined;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    const hub = (started = await startHub());
    const workerToken = await agentToken(hub, 'worker');
    const worker = await openSocket(hub.wsUrl);
    clients.push(worker);
    await worker.request({ type: 'hello', token: workerToken, agent: 'worker' });
    const admin = await connectAgent(hub, 'alice');
    clients.push(admin);
    await admin.request({ type: 'create_conversation', conversation_id: 'private', members: ['alice'] });
    const posted = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'a parser for the logs' } });
    const spare = await api(hub, 'POST', '/api/tokens', { body: { agent: 'spare' } });
    const task = async (to: string): Promise<string> =>
      ((await api(hub, 'POST', '/api/tasks', { body: { to, cmd: 'work' } })).body['task'] as { task_id: string }).task_id;
    const canceledTask = await task('nobody');
    await api(hub, 'POST', `/api/tasks/${canceledTask}/cancel`);
    const questionTask = await task('worker');
    await worker.next('task_assigned');
    await worker.request({ type: 'task_accept', task_id: questionTask });
    await worker.request({ type: 'task_input_required', task_id: questionTask, question: 'Which branch?' });
    const failures = await api(hub, 'POST', '/api/metrics', { body: [FAILURE, FAILURE, FAILURE], token: workerToken });
    expect(failures.status).toBe(201);
    const alertId = await eventually(async () => {
      const alerts = (await api(hub, 'GET', '/api/alerts')).body['alerts'] as { id: number }[];
      return alerts[0]?.id;
    }, 'the consecutive errors alert');
    fixtures = {
      hub,
      workerToken,
      spareTokenId: (spare.body['token'] as { id: string }).id,
      cookie: await logIn(hub),
      cookieToEnd: await logIn(hub),
      messageSeq: (posted.body['message'] as { seq: number }).seq,
      openTask: await task('nobody'),
      taskToCancel: await task('nobody'),
      canceledTask,
      questionTask,
      taskToFinish: await task('finisher'),
      alertId,
    };
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await started?.stop();
  });

  it('serves exactly the routes of the shared table, each with the access the table says', () => {
    const key = (route: Pick<HttpRoute, 'method' | 'path' | 'access'>): string => `${route.method} ${route.path} ${route.access}`;
    const served = fixtures.hub.hub.httpRoutes.map(key).filter((route) => !OUTSIDE_CONTRACT.includes(route));
    expect(served.sort()).toEqual(Object.values(httpRoutes).map(key).sort());
  });

  for (const [name, route] of Object.entries(httpRoutes) as [HttpRouteName, HttpRoute][]) {
    const contract = CASES[name] as Case<HttpRoute>;
    it(`${route.method} ${route.path} answers as its schema says, in success and refusal`, async () => {
      const ok = contract.ok(fixtures);
      const refused = contract.refused(fixtures);
      const requests = ok.map((request) => ({ body: requestFits(route.body, request.body), query: requestFits(route.query, request.query) }));
      expect(requests).toEqual(ok.map(() => ({ body: 'fits', query: 'fits' })));
      for (const request of ok) {
        const answer = await exchange(fixtures.hub, route, request);
        expect({ success: route.ok.includes(answer.status), bodies: answer.bodies.map((body) => asSchemaReadsIt(route, answer.status, body)) }).toEqual({
          success: true,
          bodies: answer.bodies,
        });
      }
      for (const request of refused) {
        const answer = await exchange(fixtures.hub, route, request);
        const body = answer.bodies[0] as { error?: { code?: string } };
        expect({ status: answer.status, code: body.error?.code, body: asSchemaReadsIt(route, answer.status, body) }).toEqual({
          status: request.status,
          code: request.code,
          body,
        });
      }
    });
  }
});
