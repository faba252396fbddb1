/** @module Router state stores: the `StateStore` interface and its memory, file and Redis implementations. */
import { isAbsolute, resolve } from 'node:path';
import type { StateStoreConfig } from '../plan/types.ts';
import type { Clock } from '../time/clock.ts';
import type { Rng } from '../time/rng.ts';
import { createFileStore } from './file-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { deferredStore } from './deferred-store.ts';
import { checkRedisUrl, redactRedisUrl } from './redis-url.ts';
import type { StateStore } from './types.ts';

export { DEFAULT_ONCE_HISTORY, StateStoreError, type StateStore, type StateStoreKind, type UpdateOnceResult } from './types.ts';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { createFileStore, type FileStoreOptions } from './file-store.ts';
// Not re-exported from ./redis-store.ts: importing it loads ioredis, which only the Redis store needs.
export type { RedisStoreOptions } from './redis-store.ts';
export { redactRedisUrl } from './redis-url.ts';
export { deferredStore } from './deferred-store.ts';
export { parseStateConfig } from './parse-state-config.ts';

export interface CreateStateStoreOptions {
  /** A relative file-store path is resolved against this folder (default: the process's working directory). */
  baseDir?: string;
  /** Connection problems of the Redis store. */
  log?: (message: string) => void;
  clock?: Clock;
  rng?: Rng;
}

/** The store the plan's `state` asks for. */
export function createStateStore(config: StateStoreConfig, { baseDir, log, clock, rng }: CreateStateStoreOptions = {}): StateStore {
  const shared = { ...(clock ? { clock } : {}), ...(rng ? { rng } : {}) };
  switch (config.kind) {
    case 'memory':
      return createMemoryStore();
    case 'file':
      return createFileStore({
        path: isAbsolute(config.path) ? config.path : resolve(baseDir ?? process.cwd(), config.path),
        ...shared,
      });
    case 'redis': {
      // ioredis (and the TLS it loads) is loaded on the store's first call, not by every orchestrator.
      checkRedisUrl(config.url);
      const url = config.url;
      return deferredStore('redis', redactRedisUrl(url), async () => (await import('./redis-store.ts')).createRedisStore({ url, ...(log ? { log } : {}), ...shared }));
    }
    default: {
      const kind = (config as { kind: unknown }).kind;
      throw new Error(`Unknown state store kind ${JSON.stringify(kind)}. Supported: memory, file, redis`);
    }
  }
}
