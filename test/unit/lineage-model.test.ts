import { describe, expect, it } from 'vitest';
import type { LineageEntry } from '../../shared/index.js';
import { effectsSummary } from '../../renderer/src/views/conversations/effects-model.js';
import { formatOffset, kindTone, sourceLink, timelineRows } from '../../renderer/src/views/tasks/lineage-model.js';

const TASK = 't_1764680000000abc1';
const at = (ms: number): string => new Date(Date.UTC(2026, 11, 2, 12, 0, 0) + ms).toISOString();
const entry = (ms: number, kind: LineageEntry['kind'], fields: Partial<LineageEntry> = {}): LineageEntry => ({
  ts: at(ms),
  kind,
  actor: 'worker',
  summary: kind,
  source: { type: 'audit', id: 1 },
  detail: {},
  ...fields,
});

describe('a task’s lineage as a timeline', () => {
  it('places each entry at its offset from the first, with the time since the one before and how long an offer lasted', () => {
    const rows = timelineRows(
      [
        entry(0, 'origin', { source: { type: 'message', seq: 12, conversation_id: 'general' } }),
        entry(40, 'created'),
        entry(45, 'offered', { detail: { attempt: 1, outcome: 'completed', ended_at: at(2_045) } }),
        entry(2_045, 'completed'),
      ],
      TASK,
      'all',
    );
    expect(rows.map((r) => [r.entry.kind, r.offsetMs, r.gapMs, r.durationMs])).toEqual([
      ['origin', 0, 0, undefined],
      ['created', 40, 40, undefined],
      ['offered', 45, 5, 2_000],
      ['completed', 2_045, 2_000, undefined],
    ]);
  });

  it('links each source where the dashboard shows it: the message in its conversation, the audit entry, the alert, the other task', () => {
    expect(sourceLink({ type: 'message', seq: 12, conversation_id: 'general' }, TASK, 'all')).toMatchObject({
      href: '#/conversations/general?seq=12',
      label: '#12 in general',
    });
    expect(sourceLink({ type: 'audit', id: 7 }, TASK, 'all')?.href).toBe(`#/audit?subject=${TASK}&entry=e_7`);
    expect(sourceLink({ type: 'alert', id: 3 }, TASK, 'all')?.href).toBe('#/metrics?alert=3');
    expect(sourceLink({ type: 'task', task_id: 't_1764680000999xyz2' }, TASK, 'dead-letter')).toEqual({
      href: '#/tasks/t_1764680000999xyz2?view=dead-letter',
      label: '…000999xyz2',
      title: 't_1764680000999xyz2',
    });
    // An entry read from the task's own row (its event gone with retention) does not link to the task shown.
    expect(sourceLink({ type: 'task', task_id: TASK }, TASK, 'all')).toBeUndefined();
  });

  it('colours offers and callbacks by how they went', () => {
    expect(kindTone(entry(0, 'callback', { detail: { outcome: 'retrying' } }))).toBe('warn');
    expect(kindTone(entry(0, 'callback', { detail: { outcome: 'delivered' } }))).toBe('ok');
    expect(kindTone(entry(0, 'callback', { detail: { outcome: 'failed' } }))).toBe('danger');
    expect(kindTone(entry(0, 'offered', { detail: { outcome: 'expired' } }))).toBe('warn');
    expect(kindTone(entry(0, 'offered', { detail: { outcome: 'working' } }))).toBe('info');
    expect(kindTone(entry(0, 'alert'))).toBe('danger');
  });

  it('writes offsets short enough for a narrow column', () => {
    expect([0, 850, 1_234, 42_000, 184_000, 3_600_000, 7_500_000].map(formatOffset)).toEqual([
      '+0 ms',
      '+850 ms',
      '+1.2 s',
      '+42 s',
      '+3 min 4 s',
      '+1 h',
      '+2 h 5 min',
    ]);
  });
});

describe('what a message caused, in words', () => {
  const none = { tasks: [], replies: [], alerts: [], truncated: false };
  it('counts tasks, replies and alerts, and says when there is nothing', () => {
    expect(effectsSummary(none)).toBe('No tasks, replies or alerts came of this message (yet).');
    const task = {} as never;
    const reply = {} as never;
    expect(effectsSummary({ ...none, tasks: [task], replies: [reply, reply] })).toBe('1 task · 2 replies');
    expect(effectsSummary({ ...none, tasks: [task, task], alerts: [{} as never], truncated: true })).toBe('2 tasks · 1 alert (the first of more)');
  });
});
