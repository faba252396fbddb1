/**
 * @module Redis `StateStore` (ioredis): state shared by orchestrator replicas on any number of machines.
 *
 * Keys, under `keyPrefix` (default `switchyard:`):
 * - `state:<key>`: the value, as a JSON string;
 * - `keys`: a set of every key that has a value (for `list`);
 * - `once:<key>:<id>`: set with NX and an expiry (`onceTtlMs`, default 24 h) by `once`.
 *
 * `update` is optimistic: WATCH the key, read it, MULTI/SET/EXEC; when another writer got in between, EXEC aborts and
 * the update runs again (up to `maxUpdateAttempts`). Its WATCH needs a connection of its own, so updates go over a
 * second connection, one at a time per store instance.
 *
 * Failures never hang: a command fails after one reconnection attempt (`maxRetriesPerRequest: 1`), a connection
 * attempt after `connectTimeoutMs` and a command after `commandTimeoutMs`, each rejecting with a `StateStoreError`;
 * meanwhile the client keeps reconnecting in the background, so the store recovers when Redis comes back.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { realClock, sleep, type Clock } from '../time/clock.ts';
import { randomRng, type Rng } from '../time/rng.ts';
import { jsonCopy, StateStoreError, type StateStore } from './types.ts';

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

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
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
  if (!/^rediss?:$/.test(safeProtocol(url))) {
    throw new StateStoreError('redis', `state store URL ${where} must start with redis:// or rediss://`);
  }
  const options: RedisOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: true,
  };
  const main = new Redis(url, options);
  const tx = new Redis(url, options);
  for (const [name, conn] of [['main', main], ['update', tx]] as const) {
    conn.on('error', (error: Error) => log(`redis state store ${where} (${name} connection): ${error.message}`));
  }
  const stateKey = (key: string) => `${keyPrefix}state:${key}`;
  const keysKey = `${keyPrefix}keys`;
  let updates: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (closed) throw new StateStoreError('redis', `the redis state store at ${where} is closed`);
    try {
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

  async function updateOnce<T>(key: string, fn: (current: T | undefined) => T): Promise<T> {
    const k = stateKey(key);
    for (let attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
      await tx.watch(k);
      let current: T | undefined;
      try {
        current = parse<T>(key, await tx.get(k));
      } catch (error) {
        await tx.unwatch().catch(() => {});
        throw error;
      }
      let next: T;
      try {
        next = jsonCopy(fn(current));
      } catch (error) {
        await tx.unwatch().catch(() => {});
        throw new CallerError(error);
      }
      const result = await tx.multi().set(k, JSON.stringify(next)).sadd(keysKey, key).exec();
      if (result !== null) {
        const failed = result.find(([error]) => error);
        if (failed) throw failed[0];
        return next;
      }
      await sleep(clock, Math.min(50, attempt) * rng.next());
    }
    throw new StateStoreError('redis', `update of ${k} lost the race ${maxUpdateAttempts} times in a row; too many writers`);
  }

  return {
    get<T>(key: string) {
      return guard('get', async () => parse<T>(key, await main.get(stateKey(key))));
    },
    update<T>(key: string, fn: (current: T | undefined) => T) {
      const run = updates.then(() => guard('update', () => updateOnce(key, fn)));
      updates = run.catch(() => {});
      return run;
    },
    once(key, id) {
      return guard('once', async () => (await main.set(`${keyPrefix}once:${key}:${id}`, '1', 'PX', onceTtlMs, 'NX')) === 'OK');
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

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
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
