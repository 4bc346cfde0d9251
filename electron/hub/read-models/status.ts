/** The seed's connection statistics, shared by `get_status` and `GET /ws/status`. */
import type { StatusData } from '../../../shared/protocol/index.js';
import type { HubServices } from '../services.js';

export function statusData(s: HubServices): StatusData {
  return {
    total_connections: s.connections.size,
    active_connections: s.connections.authenticated(),
    total_messages: s.messages.count(),
    max_connections: s.config.maxConnections,
    uptime: (s.clock.now() - s.startedAt) / 1000,
  };
}
