/**
 * Choosing where router state lives, as a user does: `switchyard up` as a child process with `--state
 * redis://…`, with `--state file:PATH`, and with `spec.state` in the graph file. GET /api/v1.0/routers says which
 * backend holds the state, and the state is really there (read back with a Redis client / from the file).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerBinary, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { feedbackFor, SEED, writeSeedVariant } from './state-fixtures.ts';
import { up } from '../helpers/switchyard-up.ts';

const hasRedis = redisServerBinary() !== undefined;
const skipReason = hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)';

async function sendFeedbackAndLook(url: string, puid: string): Promise<any> {
  const response = await fetch(`${url}/api/v1.0/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(feedbackFor(puid, 1, 1)),
  });
  expect(response.status).toBe(200);
  return (await fetch(`${url}/api/v1.0/routers`)).json();
}

describe('switchyard up: where router state lives', { timeout: 60000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-state-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('--state file:PATH keeps the state in that file', async () => {
    const file = path.join(dir, 'elsewhere', 'bandit.json');
    const running = await up(SEED, path.join(dir, 'build-file'), ['--state', `file:${file}`]);
    try {
      const view = await sendFeedbackAndLook(running.url, 'cli-file-1');
      expect(running.output()).toMatch(/router state: file /);
      expect(view.state).toMatchObject({ store: 'file', location: file, shared: true, available: true });
      expect(view.routers[0].arms.map((a: { pulls: number }) => a.pulls)).toEqual([0, 1]);
      const doc = JSON.parse(await readFile(file, 'utf8'));
      expect(doc.values['switchyard:seed:router:bandit'].arms[1]).toMatchObject({ pulls: 1, rewardSum: 1 });
    } finally {
      await running.stop();
    }
  });

  describe.skipIf(!hasRedis)(`with Redis${skipReason}`, () => {
    let redis: RedisServerHandle;
    let client: Redis;
    beforeAll(async () => {
      redis = await startRedisServer();
      client = new Redis(redis.url);
    });
    afterAll(async () => {
      await client?.quit();
      await redis?.stop();
    });

    it('--state redis://… keeps the state in Redis', async () => {
      const running = await up(SEED, path.join(dir, 'build-redis'), ['--state', `${redis.url}/3`]);
      try {
        const view = await sendFeedbackAndLook(running.url, 'cli-redis-1');
        expect(running.output()).toMatch(/router state: redis redis:\/\/127\.0\.0\.1:\d+\/3/);
        expect(view.state).toMatchObject({ store: 'redis', location: `${redis.url}/3`, shared: true, available: true });
        await client.select(3);
        expect(JSON.parse((await client.get('switchyard:state:switchyard:seed:router:bandit'))!).arms[1]).toMatchObject({ pulls: 1, rewardSum: 1 });
      } finally {
        await running.stop();
      }
    });

    it('spec.state {store: redis, url} in the graph file, with no flag', async () => {
      const graph = await writeSeedVariant(dir, { state: { store: 'redis', url: `${redis.url}/4` } });
      const running = await up(graph, path.join(dir, 'build-spec'), []);
      try {
        const view = await sendFeedbackAndLook(running.url, 'cli-spec-1');
        expect(view.state).toMatchObject({ store: 'redis', location: `${redis.url}/4` });
        await client.select(4);
        expect(await client.exists('switchyard:state:switchyard:seed:router:bandit')).toBe(1);
      } finally {
        await running.stop();
      }
    });
  });
});
