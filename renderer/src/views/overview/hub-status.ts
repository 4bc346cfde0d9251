/** What the overview reads from the hub: `/ws/status`, `/api/session` and `/api/stats/rates`. */

export interface HubStatus {
  /** Open sockets, and the authenticated ones among them. */
  total_connections: number;
  active_connections: number;
  max_connections: number;
  /** Null when a damaged database cannot count them. */
  total_messages: number | null;
  /** Seconds since the hub started. */
  uptime: number;
  agents_online?: number;
  /** Null when a damaged database cannot count them. */
  total_tasks?: number | null;
  open_streams?: number;
  /** Whether the hub can write its database. */
  database?: DatabaseHealth;
}

export interface DatabaseHealth {
  state: 'healthy' | 'write-failing' | 'damaged';
  /** What is wrong; absent while healthy. */
  reason?: string;
  /** How to restore the newest backup (damaged only). */
  advice?: string;
  read_only: boolean;
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
