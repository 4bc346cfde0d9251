/** What the overview reads from the hub: `/ws/status`, `/api/session` and `/api/stats/rates`. */

export interface HubStatus {
  /** Open sockets, and the authenticated ones among them. */
  total_connections: number;
  active_connections: number;
  max_connections: number;
  total_messages: number;
  /** Seconds since the hub started. */
  uptime: number;
  agents_online?: number;
  total_tasks?: number;
  open_streams?: number;
}

export interface SessionInfo {
  agent: string;
  admin: boolean;
  hub?: { version?: string };
}

export interface RateMinute {
  /** The minute's start, epoch ms; the hub lists every minute of the window, oldest first. */
  minute: number;
  messages: number;
  /** Tasks created in the minute. */
  tasks: number;
}
