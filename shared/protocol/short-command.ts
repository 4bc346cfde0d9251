/** A process's command line made short enough to read at a glance (the agents table, the approval prompt). */

/** Most characters of a short command. */
const MAX_COMMAND_CHARS = 40;

/** `/usr/bin/python3 /home/me/agents/planner.py --fast` → `python3 planner.py --fast`: paths by their last part, cut at MAX_COMMAND_CHARS. */
export function shortCommand(command: string): string {
  const short = command
    .split(' ')
    .map((arg) => (arg.includes('://') ? arg : (arg.split(/[\\/]/).at(-1) ?? arg)))
    .join(' ');
  return short.length > MAX_COMMAND_CHARS ? `${short.slice(0, MAX_COMMAND_CHARS - 1)}…` : short;
}
