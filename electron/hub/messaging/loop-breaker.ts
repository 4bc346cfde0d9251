/**
 * The loop breaker: pauses a conversation, until a person resumes it, on evidence of a loop — a reply chain
 * past its hop budget, or two agents answering each other in strict alternation past the rate budget.
 */
import { SwitchboardError, type ConversationPausedFrame, type ConversationResumedFrame } from '../../../shared/protocol/index.js';
import { notStored, type CommitQueue } from '../store/commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Connection } from '../ws/connection.js';
import type { Logger } from '../../common/logger.js';
import { ConversationLoop, type AlternationRule, type Pause } from './loop-detector.js';
import type { Presence } from './presence.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventStore } from '../store/event-store.js';
import type { MessageStore } from '../store/message-store.js';
import type { SubscriptionIndex } from './subscriptions.js';

/** What `onPaused` listeners (the alerts engine) are told, after the pause is committed. */
export interface PauseNotice {
  conversation_id: string;
  rule: 'hops' | 'rate';
  reason: string;
  agents: string[];
  at: number;
}

export interface ResumeNotice {
  conversation_id: string;
  by: string;
  at: number;
}

export type LoopBreaker = ReturnType<typeof createLoopBreaker>;

export function createLoopBreaker(deps: {
  config: Pick<HubConfig, 'loopMaxHops' | 'loopWindowMs' | 'loopMaxMessages' | 'loopReactionMs'>;
  messages: MessageStore;
  conversations: ConversationStore;
  commits: CommitQueue;
  events: EventStore;
  subscriptions: SubscriptionIndex;
  presence: Presence;
  logger: Logger;
}) {
  const { loopMaxHops, loopWindowMs, loopMaxMessages, loopReactionMs } = deps.config;
  const alternation: AlternationRule = { windowMs: loopWindowMs, max: loopMaxMessages, reactionMs: loopReactionMs };
  const loops = new Map<string, ConversationLoop>();
  // Commit batches so far: a message admitted after the previous one's batch committed could have seen it.
  let batches = 0;
  deps.commits.onBatch(() => {
    batches++;
  });
  const pausedListeners = new Set<(notice: PauseNotice) => void>();
  const resumedListeners = new Set<(notice: ResumeNotice) => void>();

  // Pauses and hop baselines survive a restart; everything else starts afresh.
  for (const row of deps.conversations.loopRows()) {
    const loop = new ConversationLoop();
    loop.hopBase = row.hop_base;
    if (row.paused_at !== null) loop.paused = { at: row.paused_at, reason: row.paused_reason ?? '', agents: [] };
    loops.set(row.id, loop);
  }

  const pausedError = (id: string, reason: string): SwitchboardError =>
    new SwitchboardError(
      'SB_ERR_PAUSED',
      `conversation "${id}" is paused by the loop breaker: ${reason}. Nothing was stored. A person resumes it with ` +
        `POST /api/conversations/${encodeURIComponent(id)}/resume (admin token) or a resume_conversation frame`,
    );

  /** Sends a frame to the conversation's live audience, its members and the agents of the loop. */
  const announce = (id: string, frame: ConversationPausedFrame | ConversationResumedFrame, agents: readonly string[]): void => {
    const meta = deps.conversations.meta(id);
    const to = deps.subscriptions.audience(id, meta, deps.presence.connectionsOf);
    const add = (agent: string): void => deps.presence.connectionsOf(agent).forEach((conn: Connection) => to.add(conn));
    meta?.members?.forEach(add);
    agents.forEach(add);
    const text = JSON.stringify(frame);
    for (const conn of to) conn.send(text);
  };

  const tell = <T>(listeners: Set<(notice: T) => void>, notice: T): void => {
    for (const listener of listeners) {
      try {
        listener(notice);
      } catch (error) {
        deps.logger.error('a loop breaker listener failed', { error: String(error) });
      }
    }
  };

  /** Pauses the conversation: refused from now on, persisted and recorded, then announced. Always throws. */
  const trip = (id: string, loop: ConversationLoop, rule: 'hops' | 'rate', pair: string[], reason: string, actor: string, now: number): never => {
    const agents = [...new Set(pair)].sort();
    const pause: Pause = { at: now, reason, agents };
    loop.paused = pause;
    deps.logger.warn('the loop breaker paused a conversation', { conversation: id, rule, reason });
    const notify = (): void => {
      if (loop.paused !== pause) return;
      announce(id, { type: 'conversation_paused', conversation_id: id, rule, reason, agents }, agents);
      tell(pausedListeners, { conversation_id: id, rule, reason, agents, at: now });
    };
    deps.commits.enqueue({
      apply: () => {
        deps.conversations.pause(id, now, reason);
        deps.events.record('conversation_paused', now, { actor, subject: id, detail: { rule, reason, agents } });
      },
      committed: notify,
      failed: (error) => {
        // Still paused in memory: the loop stops now, though a restart would forget it.
        deps.logger.error('could not persist a loop breaker pause', { conversation: id, error: String(error) });
        notify();
      },
    });
    throw pausedError(id, reason);
  };

  return {
    /**
     * Lets a message into a conversation, or throws SB_ERR_PAUSED (pausing it if this message is past a
     * budget). Returns the message's hops. Per-message hot path: a map lookup and a few comparisons, plus
     * one indexed read for a reply.
     */
    admit(id: string, sender: string, inReplyTo: number | undefined, now: number): number {
      let loop = loops.get(id);
      if (loop === undefined) loops.set(id, (loop = new ConversationLoop()));
      if (loop.paused !== undefined) throw pausedError(id, loop.paused.reason);
      let hops = 0;
      if (inReplyTo !== undefined) {
        const parent = deps.messages.parent(inReplyTo);
        if (parent !== undefined && parent.conversation_id === id) {
          hops = parent.hops + 1;
          if (hops - loop.hopBase > loopMaxHops) {
            const reason = `a chain of replies between "${parent.sender}" and "${sender}" reached ${hops - loop.hopBase} hops (loopMaxHops ${loopMaxHops})`;
            trip(id, loop, 'hops', [parent.sender, sender], reason, sender, now);
          }
          if (hops > loop.topHops) loop.topHops = hops;
        }
      }
      if (loopMaxMessages > 0 && loop.alternates(sender, now, batches, alternation)) {
        const reason =
          `more than ${loopMaxMessages} messages alternated between "${loop.other}" and "${sender}" within ${loopWindowMs} ms, ` +
          `each answering the one before within ${loopReactionMs} ms (loopMaxMessages)`;
        trip(id, loop, 'rate', [sender, loop.other ?? sender], reason, sender, now);
      }
      return hops;
    },
    /** Throws SB_ERR_PAUSED when the conversation is paused (a stream may not start there). */
    assertOpen(id: string): void {
      const paused = loops.get(id)?.paused;
      if (paused !== undefined) throw pausedError(id, paused.reason);
    },
    /** Lifts a pause; resolves after it is committed, with false when the conversation was not paused. */
    resume(id: string, by: string, now: number): Promise<boolean> {
      const loop = loops.get(id);
      const pause = loop?.paused;
      if (loop === undefined || pause === undefined) return Promise.resolve(false);
      loop.paused = undefined;
      loop.reset();
      // The chain goes on from where it stopped, with a full hop budget.
      loop.hopBase = Math.max(loop.hopBase, loop.topHops, deps.messages.maxHops(id));
      const hopBase = loop.hopBase;
      return new Promise((resolve, reject) => {
        deps.commits.enqueue({
          apply: () => {
            deps.conversations.resume(id, hopBase);
            deps.events.record('conversation_resumed', now, {
              actor: by,
              subject: id,
              detail: { paused_at: new Date(pause.at).toISOString(), reason: pause.reason },
            });
          },
          committed: () => {
            deps.logger.info('a conversation paused by the loop breaker was resumed', { conversation: id, by });
            announce(id, { type: 'conversation_resumed', conversation_id: id, by }, pause.agents);
            tell(resumedListeners, { conversation_id: id, by, at: now });
            resolve(true);
          },
          failed: (error) => {
            if (loop.paused === undefined) loop.paused = pause;
            reject(notStored(error, 'the resume'));
          },
        });
      });
    },
    /** Called after each pause is committed (the alerts engine raises an alert). */
    onPaused(listener: (notice: PauseNotice) => void): () => void {
      pausedListeners.add(listener);
      return () => pausedListeners.delete(listener);
    },
    onResumed(listener: (notice: ResumeNotice) => void): () => void {
      resumedListeners.add(listener);
      return () => resumedListeners.delete(listener);
    },
  };
}
