/**
 * Router state shared through a real redis-server by several orchestrator processes: two local engines on one Redis,
 * and one engine whose orchestrator runs two replicas (minScale 2). Concurrent feedback, some of it sent twice to
 * different processes, must leave the bandit's counts at exactly the sum, each puid counted once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { redisServerBinary, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { bandit, compileGraph, feedbackFor, runEngine, SEED, writeSeedVariant } from './state-fixtures.ts';

const hasRedis = redisServerBinary() !== undefined;
const skipReason = hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)';

/** `n` feedbacks with distinct puids; arm i % 2, reward 1 on arm 1 (good-model) and on every third arm-0 one. */
function feedbackSet(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const arm = i % 2;
    return { puid: `${prefix}-${i}`, arm, reward: arm === 1 || i % 3 === 0 ? 1 : 0 };
  });
}

function expectedCounts(set: ReturnType<typeof feedbackSet>) {
  const pulls = [0, 0];
  const rewardSum = [0, 0];
  for (const f of set) {
    pulls[f.arm]!++;
    rewardSum[f.arm]! += f.reward;
  }
  return { pulls, rewardSum };
}

describe.skipIf(!hasRedis)(`router state shared through Redis${skipReason}`, { timeout: 90000 }, () => {
  let redis: RedisServerHandle;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-state-'));
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('two orchestrator processes (two engines) on one Redis: concurrent feedback adds up exactly, once per puid', async () => {
    const state = { kind: 'redis' as const, url: `${redis.url}/1` };
    const seed = await compileGraph(SEED, path.join(dir, 'seed-build'));
    const [a, b] = await Promise.all([runEngine(seed, state), runEngine(seed, state)]);
    try {
      const set = feedbackSet('two-engines', 160);
      // Every feedback goes to one engine; the first 40 are also sent to the other one, at the same time.
      const sends = [
        ...set.map((f, i) => (i % 2 ? a : b).post('/api/v1.0/feedback', feedbackFor(f.puid, f.arm, f.reward))),
        ...set.slice(0, 40).map((f, i) => (i % 2 ? b : a).post('/api/v1.0/feedback', feedbackFor(f.puid, f.arm, f.reward))),
      ];
      const replies = await Promise.all(sends);
      expect(replies.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      const applied = replies.filter((r) => r.body.meta.tags.applied === 1).length;
      const duplicates = replies.filter((r) => r.body.meta.tags.duplicate === true).length;
      expect([applied, duplicates]).toEqual([160, 40]);

      const want = expectedCounts(set);
      for (const engine of [a, b]) {
        const seen = await bandit(engine);
        expect(seen.children).toEqual(['weak-model', 'good-model']);
        expect({ pulls: seen.pulls, rewardSum: seen.rewardSum }).toEqual(want);
        expect(seen.state).toMatchObject({ store: 'redis', location: `${redis.url}/1`, shared: true, available: true });
        expect(seen.state.feedback).toMatchObject({ pending: 0, queuedTotal: 0 });
      }
      const [ra, rb] = [await bandit(a), await bandit(b)];
      expect(ra.state.replica).not.toBe(rb.state.replica);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('one graph whose orchestrator runs two replicas (spec.orchestrator.scaling.minScale 2, spec.state redis)', async () => {
    const file = await writeSeedVariant(dir, {
      orchestrator: { scaling: { minScale: 2 } },
      state: { store: 'redis', url: `${redis.url}/2` },
    });
    let graph: Awaited<ReturnType<typeof runEngine>> | undefined;
    try {
      // The engine gets plan.state, as `switchyard up` gives it.
      const compiled = await compileGraph(file, path.join(dir, 'variant-build'));
      graph = await runEngine(compiled, compiled.plan.state);
      expect(graph.plan.state).toEqual({ kind: 'redis', url: `${redis.url}/2` });
      expect(graph.plan.functions.orchestrator!.scaling.minScale).toBe(2);
      const g = graph;
      expect((await g.get('/api/v1.0/routers')).status).toBe(200); // wakes the orchestrator
      const orchestrator = () => g.engine.status().functions.find((f) => f.function === 'orchestrator')!;
      await eventually('two orchestrator replicas ready', () => orchestrator().ready === 2);
      const set = feedbackSet('min-scale-2', 200);
      const replies = await Promise.all([
        ...set.map((f) => g.post('/api/v1.0/feedback', feedbackFor(f.puid, f.arm, f.reward))),
        ...set.slice(0, 50).map((f) => g.post('/api/v1.0/feedback', feedbackFor(f.puid, f.arm, f.reward))),
      ]);
      expect(replies.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
      expect(replies.filter((r) => r.body.meta.tags.applied === 1)).toHaveLength(200);
      expect(orchestrator().ready).toBe(2);
      // Both replicas answer, and both see the same counts: the sum of all feedback, each puid once.
      const views = await Promise.all(Array.from({ length: 16 }, () => bandit(g)));
      expect(new Set(views.map((v) => v.state.replica)).size).toBe(2);
      const want = expectedCounts(set);
      for (const view of views) expect({ pulls: view.pulls, rewardSum: view.rewardSum }).toEqual(want);
    } finally {
      await graph?.stop();
    }
  });
});
