/**
 * @module In-memory `StateStore`: one process, lost on exit. Good for `switchyard up` with one orchestrator replica
 * and for tests. Values are stored as JSON copies so it behaves like the file and Redis stores.
 */
import { BoundedSet } from './_bounded-set.ts';
import { DEFAULT_ONCE_HISTORY, jsonCopy, StateStoreError, type StateStore } from './types.ts';

export interface MemoryStoreOptions {
  /** Ids remembered per key by `once` (default 10 000). */
  onceHistory?: number;
}

export function createMemoryStore({ onceHistory = DEFAULT_ONCE_HISTORY }: MemoryStoreOptions = {}): StateStore {
  const values = new Map<string, unknown>();
  const seen = new Map<string, BoundedSet>();
  let closed = false;

  function open(): void {
    if (closed) throw new StateStoreError('memory', 'the memory state store is closed');
  }

  function history(key: string): BoundedSet {
    let set = seen.get(key);
    if (!set) seen.set(key, (set = new BoundedSet(onceHistory)));
    return set;
  }

  return {
    kind: 'memory',
    location: 'this process',
    async get<T>(key: string) {
      open();
      return values.has(key) ? jsonCopy(values.get(key) as T) : undefined;
    },
    // Synchronous from read to write, so atomic within the process.
    async update<T>(key: string, fn: (current: T | undefined) => T) {
      open();
      const current = values.has(key) ? jsonCopy(values.get(key) as T) : undefined;
      const next = jsonCopy(fn(current));
      values.set(key, next);
      return jsonCopy(next);
    },
    async once(key, id) {
      open();
      return history(key).add(id);
    },
    // Synchronous from the check to the write, so atomic within the process.
    async updateOnce<T>(key: string, id: string, fn: (current: T | undefined) => T) {
      open();
      const current = values.has(key) ? jsonCopy(values.get(key) as T) : undefined;
      if (history(key).has(id)) return { applied: false, value: current };
      const next = jsonCopy(fn(current));
      history(key).add(id);
      values.set(key, next);
      return { applied: true, value: jsonCopy(next) };
    },
    async list() {
      open();
      return Object.fromEntries([...values].map(([k, v]) => [k, jsonCopy(v)]));
    },
    async close() {
      closed = true;
    },
  } satisfies StateStore;
}
