/**
 * @module A `StateStore` that opens the real one on its first call, so a process that never uses a store does not
 * load its client (ioredis and the TLS it pulls in: about 18 MiB resident, bench/: memory).
 */
import { StateStoreError, type StateStore, type StateStoreKind } from './types.ts';

export function deferredStore(kind: StateStoreKind, location: string, open: () => Promise<StateStore>): StateStore {
  let store: Promise<StateStore> | undefined;
  let closed = false;
  const opened = (): Promise<StateStore> => {
    if (store !== undefined) return store;
    if (closed) return Promise.reject(new StateStoreError(kind, `the ${kind} state store at ${location} is closed`));
    return (store = open());
  };
  return {
    kind,
    location,
    async get<T>(key: string) {
      return (await opened()).get<T>(key);
    },
    async update<T>(key: string, fn: (current: T | undefined) => T) {
      return (await opened()).update(key, fn);
    },
    async once(key: string, id: string) {
      return (await opened()).once(key, id);
    },
    async updateOnce<T>(key: string, id: string, fn: (current: T | undefined) => T) {
      return (await opened()).updateOnce(key, id, fn);
    },
    async list() {
      return (await opened()).list();
    },
    async close() {
      closed = true;
      if (store !== undefined) await (await store).close();
    },
  };
}
