/** The seed's connection statistics, shared by `get_status` and `GET /ws/status`. */
import type { StatusData } from '../../../shared/protocol/index.js';
import type { HubServices } from '../services.js';

/** What the statistics are read from. */
export type StatusServices = Pick<HubServices, 'connections' | 'messages' | 'config' | 'clock' | 'startedAt'>;

export function statusData(s: StatusServices): StatusData {
  return {
    total_connections: s.connections.size,
    active_connections: s.connections.authenticated(),
    total_messages: s.messages.count(),
    max_connections: s.config.maxConnections,
    uptime: (s.clock.now() - s.startedAt) / 1000,
  };
}
