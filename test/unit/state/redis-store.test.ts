import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../../runtime/state/index.ts';
import { createRedisStore, redactRedisUrl } from '../../../runtime/state/redis-store.ts';
import { StateStoreError } from '../../../runtime/state/types.ts';
import { runStateStoreSuite } from '../../conformance/state-store.suite.ts';
import { freePort, redisServerBinary, startRedisServer, type RedisServerHandle } from '../../helpers/redis-server.ts';

const hasRedis = redisServerBinary() !== undefined;

const skipReason = hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)';

describe.skipIf(!hasRedis)(`redis store${skipReason}`, () => {
  let server: RedisServerHandle;
  let serial = 0;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  runStateStoreSuite('redis', {
    persistent: true,
    create: () => {
      const keyPrefix = `test-${process.pid}-${++serial}:`;
      return { open: () => createRedisStore({ url: server.url, keyPrefix }) };
    },
  });

  it('createStateStore builds a redis store from the plan config', async () => {
    const store = createStateStore({ kind: 'redis', url: server.url });
    await store.update('factory-check', () => ({ ok: true }));
    expect(await store.get('factory-check')).toEqual({ ok: true });
    await store.close();
  });

  it('once forgets an id after onceTtlMs', async () => {
    const store = createRedisStore({ url: server.url, keyPrefix: `ttl-${++serial}:`, onceTtlMs: 50 });
    expect(await store.once('fb', 'p')).toBe(true);
    expect(await store.once('fb', 'p')).toBe(false);
    await new Promise((r) => setTimeout(r, 120)); // Redis's own expiry: real time is the only way to see it
    expect(await store.once('fb', 'p')).toBe(true);
    await store.close();
  });

  it('a key that does not hold JSON is reported, not returned', async () => {
    const prefix = `bad-${++serial}:`;
    const store = createRedisStore({ url: server.url, keyPrefix: prefix });
    await store.update('k', () => 1);
    const { Redis } = await import('ioredis');
    const raw = new Redis(server.url);
    await raw.set(`${prefix}state:k`, '{oops');
    await raw.quit();
    await expect(store.get('k')).rejects.toThrow(/does not hold JSON/);
    await expect(store.update('k', () => 2)).rejects.toBeInstanceOf(StateStoreError);
    await store.close();
  });
});

describe('redis store without a server', () => {
  it('rejects promptly with a StateStoreError instead of retrying forever', async () => {
    const port = await freePort(); // nothing listens there
    const log: string[] = [];
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 500, log: (m) => log.push(m) });
    const started = Date.now();
    await expect(store.get('k')).rejects.toBeInstanceOf(StateStoreError);
    await expect(store.update('k', () => 1)).rejects.toThrow(/redis state store at redis:\/\/127\.0\.0\.1:\d+\/?: update failed/);
    await expect(store.once('k', 'id')).rejects.toBeInstanceOf(StateStoreError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log.some((m) => m.includes('ECONNREFUSED'))).toBe(true);
    await store.close();
  });

  it('rejects a URL that is not redis://', () => {
    expect(() => createRedisStore({ url: 'http://localhost:6379' })).toThrow(/must start with redis:\/\/ or rediss:\/\//);
  });

  it('hides the password in messages', () => {
    expect(redactRedisUrl('redis://user:secret@host:6379/0')).toBe('redis://user:***@host:6379/0');
  });
});
