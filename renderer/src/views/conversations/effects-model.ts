/** What a message caused, in words, pure: "2 tasks · 1 reply · 1 alert", or that it caused nothing (yet). */
import type { MessageEffectsResponse } from '../../../../shared/index.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function effectsSummary(effects: Pick<MessageEffectsResponse, 'tasks' | 'replies' | 'alerts' | 'truncated'>): string {
  const parts = [
    effects.tasks.length === 0 ? undefined : count(effects.tasks.length, 'task', 'tasks'),
    effects.replies.length === 0 ? undefined : count(effects.replies.length, 'reply', 'replies'),
    effects.alerts.length === 0 ? undefined : count(effects.alerts.length, 'alert', 'alerts'),
  ].filter((part) => part !== undefined);
  if (parts.length === 0) return 'No tasks, replies or alerts came of this message (yet).';
  return `${parts.join(' · ')}${effects.truncated ? ' (the first of more)' : ''}`;
}
