/**
 * @module Redis `StateStore` (ioredis): state shared by orchestrator replicas on any number of machines.
 *
 * Keys, under `keyPrefix` (default `switchyard:`):
 * - `state:<key>`: the value, as a JSON string;
 * - `keys`: a set of every key that has a value (for `list`);
 * - `once:<key>:<id>`: set with NX and an expiry (`onceTtlMs`, default 24 h) by `once`, and by `updateOnce` in the
 *   transaction that stores the value.
 *
 * `update` is optimistic: WATCH the key, read it, MULTI/SET/EXEC; when another writer got in between, EXEC aborts and
 * the update runs again (up to `maxUpdateAttempts`). Its WATCH needs a connection of its own, so updates go over a
 * second connection, one at a time per store instance.
 *
 * Failures never hang: the first call connects (within `connectTimeoutMs`); after that, a call made while the
 * connection is down fails at once (no offline queue), a command in flight when it drops fails, and a command fails
 * after `commandTimeoutMs`, each rejecting with a `StateStoreError`. Meanwhile the client keeps reconnecting in the
 * background (every 0.1 s to 2 s), so the store recovers when Redis comes back. Callers queue and retry; nothing
 * waits here for Redis to return.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { realClock, sleep, type Clock } from '../time/clock.ts';
import { randomRng, type Rng } from '../time/rng.ts';
import { jsonCopy, StateStoreError, type StateStore, type UpdateOnceResult } from './types.ts';
import { checkRedisUrl, redactRedisUrl } from './redis-url.ts';

export { redactRedisUrl } from './redis-url.ts';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  keyPrefix?: string;
  /** How long `once` remembers an id (default 24 h). */
  onceTtlMs?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Optimistic `update` retries before giving up under contention (default 100). */
  maxUpdateAttempts?: number;
  /** Connection errors, as they happen (they also reject the commands they affect). */
  log?: (message: string) => void;
  clock?: Clock;
  /** For retry jitter. */
  rng?: Rng;
}

export function createRedisStore({
  url,
  keyPrefix = 'switchyard:',
  onceTtlMs = 24 * 60 * 60 * 1000,
  connectTimeoutMs = 2000,
  commandTimeoutMs = 5000,
  maxUpdateAttempts = 100,
  log = () => {},
  clock = realClock,
  rng = randomRng(),
}: RedisStoreOptions): StateStore {
  const where = redactRedisUrl(url);
  checkRedisUrl(url);
  const options: RedisOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: true,
    enableOfflineQueue: false,
  };
  const main = new Redis(url, options);
  const tx = new Redis(url, options);
  const lastError = new Map<Redis, string>();
  for (const [name, conn] of [['main', main], ['update', tx]] as const) {
    conn.on('error', (error: Error) => {
      lastError.set(conn, error.message);
      log(`redis state store ${where} (${name} connection): ${error.message}`);
    });
  }
  const why = (conn: Redis) => (lastError.has(conn) ? `; last error: ${lastError.get(conn)}` : '');
  const stateKey = (key: string) => `${keyPrefix}state:${key}`;
  const keysKey = `${keyPrefix}keys`;
  const onceKeyOf = (key: string, id: string) => `${keyPrefix}once:${key}:${id}`;
  let updates: Promise<unknown> = Promise.resolve();
  let closed = false;

  const firstConnect = new Map<Redis, Promise<void>>();
  /** Resolves when `conn` can take commands: connects it on first use, fails at once while it is reconnecting. */
  async function connected(conn: Redis, what: string): Promise<void> {
    if (conn.status === 'ready') return;
    if (conn.status === 'wait') {
      let attempt = firstConnect.get(conn);
      if (attempt === undefined) {
        attempt = conn
          .connect()
          .catch((error: unknown) => {
            throw new StateStoreError('redis', `redis state store at ${where}: ${what} failed: cannot connect: ${(error as Error).message}${why(conn)}`, { cause: error });
          })
          .finally(() => firstConnect.delete(conn));
        firstConnect.set(conn, attempt);
      }
      return attempt;
    }
    const attempt = firstConnect.get(conn);
    if (attempt !== undefined) return attempt;
    throw new StateStoreError('redis', `redis state store at ${where}: ${what} failed: not connected (${conn.status}${why(conn)}); reconnecting in the background`);
  }

  async function guard<T>(what: string, op: () => Promise<T>, conn: Redis = main): Promise<T> {
    if (closed) throw new StateStoreError('redis', `the redis state store at ${where} is closed`);
    try {
      await connected(conn, what);
      return await op();
    } catch (error) {
      if (error instanceof CallerError) throw error.error; // thrown by the caller's update function: pass it on
      if (error instanceof StateStoreError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StateStoreError('redis', `redis state store at ${where}: ${what} failed: ${message}`, { cause: error });
    }
  }

  function parse<T>(key: string, raw: string | null): T | undefined {
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      throw new StateStoreError('redis', `redis key ${stateKey(key)} does not hold JSON; delete it to start afresh`);
    }
  }

  /**
   * WATCH, read, MULTI/EXEC, again when another writer got in between. With `onceKey`, that key is watched too and
   * the update is skipped when it exists; otherwise it is set (with the `once` expiry) in the same transaction.
   */
  async function optimisticUpdate<T>(key: string, fn: (current: T | undefined) => T, onceKey?: string): Promise<UpdateOnceResult<T>> {
    const k = stateKey(key);
    for (let attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
      await (onceKey === undefined ? tx.watch(k) : tx.watch(k, onceKey));
      let current: T | undefined;
      let seen = false;
      try {
        if (onceKey === undefined) {
          current = parse<T>(key, await tx.get(k));
        } else {
          const [raw, mark] = await tx.mget(k, onceKey);
          current = parse<T>(key, raw ?? null);
          seen = mark !== null && mark !== undefined;
        }
      } catch (error) {
        await tx.unwatch().catch(() => {});
        throw error;
      }
      if (seen) {
        await tx.unwatch();
        return { applied: false, value: current };
      }
      let next: T;
      try {
        next = jsonCopy(fn(current));
      } catch (error) {
        await tx.unwatch().catch(() => {});
        throw new CallerError(error);
      }
      const multi = tx.multi().set(k, JSON.stringify(next)).sadd(keysKey, key);
      if (onceKey !== undefined) multi.set(onceKey, '1', 'PX', onceTtlMs);
      const result = await multi.exec();
      if (result !== null) {
        const failed = result.find(([error]) => error);
        if (failed) throw failed[0];
        return { applied: true, value: next };
      }
      await sleep(clock, Math.min(50, attempt) * rng.next());
    }
    throw new StateStoreError('redis', `update of ${k} lost the race ${maxUpdateAttempts} times in a row; too many writers`);
  }

  /** Updates go one at a time over the `tx` connection (WATCH belongs to a connection). */
  function queued<R>(what: string, op: () => Promise<R>): Promise<R> {
    const run = updates.then(() => guard(what, op, tx));
    updates = run.catch(() => {});
    return run;
  }

  return {
    kind: 'redis',
    location: where,
    get<T>(key: string) {
      return guard('get', async () => parse<T>(key, await main.get(stateKey(key))));
    },
    update<T>(key: string, fn: (current: T | undefined) => T) {
      return queued('update', async () => (await optimisticUpdate(key, fn)).value as T);
    },
    once(key, id) {
      return guard('once', async () => (await main.set(onceKeyOf(key, id), '1', 'PX', onceTtlMs, 'NX')) === 'OK');
    },
    updateOnce<T>(key: string, id: string, fn: (current: T | undefined) => T) {
      return queued('update', () => optimisticUpdate(key, fn, onceKeyOf(key, id)));
    },
    list() {
      return guard('list', async () => {
        const keys = (await main.smembers(keysKey)).sort();
        if (keys.length === 0) return {};
        const raws = await main.mget(keys.map(stateKey));
        const out: Record<string, unknown> = {};
        keys.forEach((key, i) => {
          const value = parse(key, raws[i] ?? null);
          if (value !== undefined) out[key] = value;
        });
        return out;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await updates;
      await Promise.all([main, tx].map(quit));
    },
  } satisfies StateStore;
}

/** Wraps an error thrown by the caller's update function, to tell it apart from Redis failures. */
class CallerError {
  readonly error: unknown;

  constructor(error: unknown) {
    this.error = error;
  }
}

async function quit(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    await conn.quit().catch(() => conn.disconnect());
  } else {
    conn.disconnect();
  }
}
