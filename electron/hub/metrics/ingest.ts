/** Taking in interactions: stored by group commit, acknowledged after the commit, then handed to rollups and alerts. */
import type { InteractionRecord } from '../../../shared/index.js';
import { notStored, type CommitQueue } from '../store/commit-queue.js';
import type { Logger } from '../../common/logger.js';
import type { Interaction, InteractionStore } from '../store/interaction-store.js';

export type Ingest = ReturnType<typeof createIngest>;

export function createIngest(deps: { interactions: InteractionStore; commits: CommitQueue; logger: Logger; now: () => number }) {
  const listeners = new Set<(interaction: Interaction) => void>();
  let stored = 0;
  return {
    /** Stores the records of one agent in the next commit; resolves with them once committed. */
    record(agent: string, records: InteractionRecord[]): Promise<Interaction[]> {
      return new Promise((resolve, reject) => {
        const now = deps.now();
        deps.commits.enqueue<Interaction[]>({
          apply: () => records.map((record) => deps.interactions.insert(agent, record, now)),
          committed: (saved) => {
            stored += saved.length;
            // One failing listener must not keep the interaction from the others (rollups, alerts).
            for (const interaction of saved) {
              for (const listener of listeners) {
                try {
                  listener(interaction);
                } catch (error) {
                  deps.logger.error('an interaction listener failed', { error: error instanceof Error ? error.stack : String(error) });
                }
              }
            }
            resolve(saved);
          },
          failed: (error) => reject(notStored(error, 'the interactions')),
        });
      });
    },
    /** Called with every interaction after it is committed (rollups, alert rules). */
    onInteraction(listener: (interaction: Interaction) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get stored(): number {
      return stored;
    },
  };
}
