/**
 * Router state outlives the orchestrator process: killed with SIGKILL (the engine starts a new one) and the whole
 * engine stopped and started again, with the file store (the local default) and with a real redis-server. The
 * dedupe record of each puid lives in the store too, so feedback sent again after a restart is not counted twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStoreConfig } from '../../runtime/plan/types.ts';
import { eventually } from '../helpers/graph-engine.ts';
import { redisServerBinary, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { bandit, compileGraph, feedbackFor, replicaPid, runEngine, SEED, type CompiledGraph } from './state-fixtures.ts';

const hasRedis = redisServerBinary() !== undefined;

async function survivesRestarts(seed: CompiledGraph, state: StateStoreConfig, location: string): Promise<void> {
  const first = await runEngine(seed, state);
  try {
    const sends = Array.from({ length: 30 }, (_, i) => first.post('/api/v1.0/feedback', feedbackFor(`restart-${i}`, i % 2, i % 2)));
    expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array(30).fill(200));
    const before = await bandit(first);
    expect(before.pulls).toEqual([15, 15]);
    expect(before.rewardSum).toEqual([0, 15]);
    expect(before.state).toMatchObject({ store: state.kind, location });

    // SIGKILL: no drain, no goodbye. The engine replaces the replica; the new process reads the store.
    const killed = replicaPid(before.state.replica);
    process.kill(killed, 'SIGKILL');
    await eventually('a new orchestrator process', async () => {
      const view = await bandit(first).catch(() => undefined);
      return view !== undefined && replicaPid(view.state.replica) !== killed;
    });
    const afterKill = await bandit(first);
    expect(afterKill.pulls).toEqual([15, 15]);
    expect(afterKill.rewardSum).toEqual([0, 15]);
    const again = await first.post('/api/v1.0/feedback', feedbackFor('restart-3', 1, 1));
    expect(again.status).toBe(200);
    expect(again.body.status.info).toMatch(/already applied/);
  } finally {
    await first.stop();
  }

  // A new engine, new processes, the same store.
  const second = await runEngine(seed, state);
  try {
    const view = await bandit(second);
    expect(view.pulls).toEqual([15, 15]);
    expect(view.rewardSum).toEqual([0, 15]);
    const duplicate = await second.post('/api/v1.0/feedback', feedbackFor('restart-7', 1, 1));
    expect(duplicate.body.meta.tags).toMatchObject({ applied: 0, duplicate: true });
    const fresh = await second.post('/api/v1.0/feedback', feedbackFor('restart-30', 1, 1));
    expect(fresh.body.meta.tags).toMatchObject({ applied: 1, duplicate: false });
    expect((await bandit(second)).pulls).toEqual([15, 16]);
  } finally {
    await second.stop();
  }
}

describe('router state survives the orchestrator being killed and restarted', { timeout: 90000 }, () => {
  let dir: string;
  let seed: CompiledGraph;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-restart-'));
    seed = await compileGraph(SEED, path.join(dir, 'build'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('with the file store', async () => {
    const file = path.join(dir, 'state', 'seed.json');
    await survivesRestarts(seed, { kind: 'file', path: file }, file);
  });

  describe.skipIf(!hasRedis)(`with Redis${hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)'}`, () => {
    let redis: RedisServerHandle;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => redis?.stop());

    it('with the Redis store', async () => {
      await survivesRestarts(seed, { kind: 'redis', url: redis.url }, redis.url);
    });
  });
});
