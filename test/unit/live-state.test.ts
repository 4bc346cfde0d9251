import { describe, expect, it } from 'vitest';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import { FrameBatcher } from '../../renderer/src/store/frame-batcher.js';
import {
  applyLiveItems,
  initialLiveState,
  markConversationsRead,
  RATE_SECONDS,
  tickRates,
  type LiveItem,
  type LiveState,
} from '../../renderer/src/store/live-state.js';

function message(seq: number, conversation = 'general', content = `m${seq}`): StoredMessage {
  return { id: `m_${seq}`, seq, conversation_id: conversation, sender: 'coder', message_type: 'message', content, created_at: new Date(0).toISOString() };
}

function apply(state: LiveState, items: LiveItem[]): LiveState {
  return { ...state, ...applyLiveItems(state, items) };
}

describe('the window’s live state', () => {
  it('appends messages of the open conversation to the timeline and counts the others as unread', () => {
    const open = { ...initialLiveState(), openConversation: 'general', timeline: [message(1)] };
    const next = apply(open, [
      { kind: 'message', message: message(2) },
      { kind: 'message', message: message(3, 'design') },
      { kind: 'message', message: message(4, 'design') },
      { kind: 'message', message: message(2) },
    ]);
    expect(next.timeline.map((m) => m.seq)).toEqual([1, 2]);
    expect(next.activity['design']).toMatchObject({ unread: 2, last_seq: 4 });
    expect(next.activity['general']).toMatchObject({ unread: 0, last_seq: 2, seen_seq: 2 });
    expect(next.lastSeq).toBe(4);
    expect(next.counting.messages).toBe(4);
  });

  it('clears the unread counts of conversations marked read, and counts them as seen up to their newest message', () => {
    const busy = apply(initialLiveState(), [
      { kind: 'message', message: message(1, 'design') },
      { kind: 'message', message: message(2, 'design') },
      { kind: 'message', message: message(3, 'ops') },
    ]);
    const read = markConversationsRead(busy.activity, ['design', 'unknown']);
    expect(read['design']).toMatchObject({ unread: 0, last_seq: 2, seen_seq: 2 });
    expect(read['ops']).toMatchObject({ unread: 1 });
    expect(read['unknown']).toBeUndefined();
    const later = apply({ ...busy, activity: read }, [{ kind: 'message', message: message(4, 'design') }]);
    expect(later.activity['design']).toMatchObject({ unread: 1, last_seq: 4, seen_seq: 2 });
  });

  it('grows a streamed message chunk by chunk and drops it when the stream ends', () => {
    let state = initialLiveState();
    state = apply(state, [
      { kind: 'frame', frame: { type: 'stream_start', stream_id: 's1', conversation_id: 'general', sender: 'writer' } },
      { kind: 'frame', frame: { type: 'stream_chunk', stream_id: 's1', content: 'Hello, ' } },
    ]);
    state = apply(state, [{ kind: 'frame', frame: { type: 'stream_chunk', stream_id: 's1', content: 'world' } }]);
    expect(state.streams['s1']).toMatchObject({ sender: 'writer', conversation_id: 'general', text: 'Hello, world' });
    state = apply(state, [{ kind: 'frame', frame: { type: 'stream_end', stream_id: 's1', seq: 9, full_content: 'Hello, world' } }]);
    expect(state.streams['s1']).toBeUndefined();
  });

  it('starts a stream picked up mid-way with what was streamed so far', () => {
    const state = apply(initialLiveState(), [
      {
        kind: 'frame',
        frame: { type: 'stream_start', stream_id: 's2', conversation_id: 'general', sender: 'writer', content_so_far: 'Once upon ', next_index: 3 },
      },
      { kind: 'frame', frame: { type: 'stream_chunk', stream_id: 's2', index: 3, content: 'a time' } },
    ]);
    expect(state.streams['s2']).toMatchObject({ text: 'Once upon a time' });
  });

  it('keeps the latest pushed task, agent presence, alert and pause', () => {
    const task = { task_id: 't_1', state: 'submitted' } as TaskRecord;
    const state = apply(initialLiveState(), [
      { kind: 'frame', frame: { type: 'task_updated', event: 'created', task } },
      { kind: 'frame', frame: { type: 'task_updated', event: 'completed', task: { ...task, state: 'completed' } } },
      { kind: 'frame', frame: { type: 'agent_online', agent: { id: 'coder', online: true, connections: 1 } } },
      { kind: 'frame', frame: { type: 'agent_offline', agent: { id: 'coder', online: false, connections: 0 } } },
      { kind: 'frame', frame: { type: 'alert', event: 'raised', alert: { id: 3, state: 'open', rule: 'error_rate' } } },
      { kind: 'frame', frame: { type: 'conversation_paused', conversation_id: 'general', rule: 'hops', reason: 'loop', agents: ['a', 'b'] } },
    ]);
    expect(state.tasks['t_1']?.state).toBe('completed');
    expect(state.counting.tasks).toBe(2);
    expect(state.agents['coder']).toMatchObject({ online: false, connections: 0 });
    expect(state.alerts[3]?.state).toBe('open');
    expect(state.activity['general']?.paused).toBe(true);
  });

  it('leaves the state untouched by frames it does not show', () => {
    const state = initialLiveState();
    expect(applyLiveItems(state, [{ kind: 'frame', frame: { type: 'heartbeat_ack' } }])).toEqual({});
  });

  it('moves each second’s counts into the sparkline series', () => {
    let state = apply(initialLiveState(), [
      { kind: 'message', message: message(1) },
      { kind: 'message', message: message(2) },
    ]);
    state = { ...state, ...tickRates(state) };
    state = { ...state, ...tickRates(state) };
    expect(state.rates.messages).toHaveLength(RATE_SECONDS);
    expect(state.rates.messages.slice(-2)).toEqual([2, 0]);
    expect(state.counting).toEqual({ messages: 0, tasks: 0 });
  });
});

describe('the frame batcher', () => {
  it('turns 2,000 frames in one animation frame into one store update', () => {
    const flushes: (() => void)[] = [];
    const applied: number[][] = [];
    const batcher = new FrameBatcher<number>(
      (items) => applied.push(items),
      (flush) => flushes.push(flush),
    );
    for (let i = 0; i < 2000; i += 1) batcher.push(i);
    expect(flushes).toHaveLength(1);
    expect(applied).toHaveLength(0);
    flushes[0]?.();
    expect(applied).toHaveLength(1);
    expect(applied[0]).toHaveLength(2000);
    batcher.push(2000);
    expect(flushes).toHaveLength(2);
  });
});
