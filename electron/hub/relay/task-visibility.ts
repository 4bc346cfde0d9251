/**
 * Who sees which task: the admin token and the dashboard see every task; an agent token sees the tasks it
 * sent, was offered or holds, and those addressed to it or to a role it declared (its kind or a
 * capability). Every read of tasks, and every refusal, follows this one rule.
 */

/** The caller as the rule needs it. */
export interface TaskViewer {
  agent: string;
  /** The admin token or a browser session: sees everything. */
  all: boolean;
  /** The kind and capabilities the agent declared in its hello. */
  roles: readonly string[];
}

/** The fields of a task the rule looks at. */
export interface VisibleFields {
  from: string;
  to: string;
  assigned_to: string | null;
}

/** The roles an agent declared: its kind and its capabilities. */
export function declaredRoles(profile: { kind: string | null; capabilities: readonly string[] } | undefined): string[] {
  if (profile === undefined) return [];
  return profile.kind === null ? [...profile.capabilities] : [profile.kind, ...profile.capabilities];
}

/**
 * May `viewer` see `task`? `offeredTo` lists every agent the task was ever offered to; it is asked only
 * when nothing cheaper decides.
 */
export function maySeeTask(viewer: TaskViewer, task: VisibleFields, offeredTo: () => Iterable<string>): boolean {
  if (viewer.all) return true;
  const { agent } = viewer;
  if (task.from === agent || task.to === agent || task.assigned_to === agent || viewer.roles.includes(task.to)) return true;
  for (const offered of offeredTo()) if (offered === agent) return true;
  return false;
}
