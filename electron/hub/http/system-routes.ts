/** Health and connection statistics: `/api/health` (public), `/ws/status`, `/ws/handlers` (seed). */
import type { HubStatusResponse } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { statusData, type StatusServices } from '../read-models/status.js';
import { route, type Route } from './http-router.js';

/** What health and statistics are read from. */
type SystemServices = StatusServices &
  Pick<HubServices, 'presence' | 'streams' | 'commits' | 'offlineQueue' | 'frameCounts' | 'router' | 'logger' | 'databaseHealth' | 'relay'>;

export function systemRoutes(s: SystemServices): Route[] {
  return [
    route('health', {
      handle() {
        const readable = readsWork(s);
        const health = databaseStatus(s);
        const healthy = readable && health.state === 'healthy';
        return {
          status: healthy ? 200 : 503,
          body: {
            status: healthy ? 'healthy' : 'degraded',
            connections: s.connections.size,
            database: health.state === 'healthy' ? (readable ? 'ok' : 'unreadable') : health.state,
            ...(health.reason === undefined ? {} : { reason: health.reason }),
            ...(health.advice === undefined ? {} : { advice: health.advice }),
            timestamp: new Date(s.clock.now()).toISOString(),
          },
        };
      },
    }),
    route('hubStatus', {
      handle() {
        const connections = [...s.connections.all()].map((conn) => ({
          client_id: conn.id,
          agent: conn.identity?.agent ?? null,
          connected_at: new Date(conn.connectedAt).toISOString(),
          last_activity: new Date(conn.lastActivity).toISOString(),
          subscriptions: [...conn.subscriptions.keys()],
          frames_in: conn.framesIn,
          frames_out: conn.framesOut,
        }));
        const health = databaseStatus(s);
        return {
          body: {
            status: health.state === 'healthy' ? 'ok' : 'degraded',
            database: health,
            ...counters(s),
            agents_online: s.presence.onlineCount(),
            open_streams: s.streams.size,
            commits: s.commits.stats,
            offline_queue: s.offlineQueue.stats(),
            memory: { rss: process.memoryUsage.rss(), heap_used: process.memoryUsage().heapUsed },
            frames: Object.fromEntries(s.frameCounts),
            connections,
          },
        };
      },
    }),
    route('frameHandlers', {
      handle() {
        return { body: { status: 'ok', handlers: s.router.types(), middleware: s.router.middlewareNames() } };
      },
    }),
  ];
}

/** Can the database be read? A failure is handed to the database health, which may find it damaged. */
function readsWork(s: SystemServices): boolean {
  try {
    s.messages.lastSeq();
    return true;
  } catch (error) {
    s.logger.warn('the health check could not read the database', { error: String(error) });
    s.databaseHealth.failed(error);
    return false;
  }
}

function databaseStatus(s: SystemServices): HubStatusResponse['database'] {
  const { state, reason, advice } = s.databaseHealth.status();
  return { state, ...(reason === undefined ? {} : { reason }), ...(advice === undefined ? {} : { advice }), read_only: s.databaseHealth.readOnly };
}

/** The counters read from the database; null where a damaged file cannot give them, so the page still learns the hub's state. */
function counters(s: SystemServices) {
  try {
    // Counters that only grow, so a page polling this works out message and task rates from deltas.
    return { ...statusData(s), last_seq: s.messages.lastSeq(), total_tasks: s.relay.tasks.count() };
  } catch (error) {
    s.databaseHealth.failed(error);
    return {
      total_connections: s.connections.size,
      active_connections: s.connections.authenticated(),
      total_messages: null,
      max_connections: s.config.maxConnections,
      uptime: (s.clock.now() - s.startedAt) / 1000,
      last_seq: null,
      total_tasks: null,
    };
  }
}
