/** The SDK's on-disk memory: the outbox of unacknowledged sends and the worker's finished tasks. */
import type { FinishedTask, FinishedTasks, OutboxEntry, OutboxStore } from '../shared/client/index.js';
import { readJsonFile, writeJsonFileAtomic } from './json-file.js';

export function fileOutboxStore(file: string): OutboxStore {
  return {
    load: () => readJsonFile<OutboxEntry[]>(file, []),
    save: (entries) => writeJsonFileAtomic(file, entries),
  };
}

/** Finished tasks, kept on disk so a restarted worker never runs one again. */
export function fileFinishedTasks(file: string): FinishedTasks {
  const map = new Map<string, FinishedTask>(Object.entries(readJsonFile<Record<string, FinishedTask>>(file, {})));
  return {
    get: (id) => map.get(id),
    set: (id, entry) => {
      map.set(id, entry);
      writeJsonFileAtomic(file, Object.fromEntries(map));
    },
    entries: () => [...map],
  };
}
