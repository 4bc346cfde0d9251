/** Health and connection statistics: `/api/health` (public), `/ws/status`, `/ws/handlers` (seed). */
import type { HubServices } from '../services.js';
import { statusData } from '../status.js';
import type { Route } from './http-router.js';

export function systemRoutes(s: HubServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/health',
      access: 'public',
      handle() {
        let database = 'ok';
        try {
          s.messages.lastSeq();
        } catch (error) {
          database = `error: ${String(error)}`;
        }
        return {
          status: database === 'ok' ? 200 : 503,
          body: { status: database === 'ok' ? 'healthy' : 'unhealthy', connections: s.connections.size, database, timestamp: new Date(s.clock.now()).toISOString() },
        };
      },
    },
    {
      method: 'GET',
      path: '/ws/status',
      access: 'token',
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
        return {
          body: {
            status: 'ok',
            ...statusData(s),
            // Counters that only grow, so a page polling this works out message and task rates from deltas.
            last_seq: s.messages.lastSeq(),
            total_tasks: s.relay.tasks.count(),
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
    },
    {
      method: 'GET',
      path: '/ws/handlers',
      access: 'token',
      handle() {
        return { body: { status: 'ok', handlers: s.router.types(), middleware: s.router.middlewareNames() } };
      },
    },
  ];
}
