/**
 * Redis goes away mid-run and comes back: a real redis-server (keeping its data in an append-only file) is stopped
 * while the seed graph serves, then started again on the same port. Predictions go on with the last known bandit
 * state and one warning; feedback is answered 202 "queued", listed in GET /api/v1.0/routers, and applied, once,
 * when Redis is back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { redisServerBinary, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.ts';
import { bandit, compileGraph, runEngine, SEED, SEED_REQUEST } from './state-fixtures.ts';

const hasRedis = redisServerBinary() !== undefined;
const skipReason = hasRedis ? '' : ' — SKIPPED: redis-server is not installed (apt-get install -y redis-server)';

describe.skipIf(!hasRedis)(`Redis stopped mid-run${skipReason}`, { timeout: 90000 }, () => {
  let dir: string;
  let redis: RedisServerHandle | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-outage-'));
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves predictions on the last known state, queues feedback, and applies it once Redis is back', async () => {
    redis = await startRedisServer({ dir });
    const { port, url } = redis;
    const seed = await compileGraph(SEED, path.join(dir, 'build'));
    const graph = await runEngine(seed, { kind: 'redis', url });
    try {
      const predict = () => graph.post('/api/v1.0/predictions', SEED_REQUEST);
      // Before: predictions and feedback reach Redis.
      for (let i = 0; i < 6; i++) {
        const { status, body } = await predict();
        expect(status).toBe(200);
        const arm = body.meta.routing.bandit as number;
        expect((await graph.post('/api/v1.0/feedback', { request: SEED_REQUEST, response: body, reward: arm })).status).toBe(200);
      }
      const before = await bandit(graph);
      expect(before.pulls[0]! + before.pulls[1]!).toBe(6);
      expect(before.state).toMatchObject({ store: 'redis', available: true });

      await redis.stop();

      // Predictions go on.
      const during = [];
      for (let i = 0; i < 25; i++) during.push(await predict());
      expect(during.map((r) => r.status)).toEqual(Array(25).fill(200));

      // Feedback is accepted and queued.
      const queued = await Promise.all(
        during.slice(0, 10).map((r) => graph.post('/api/v1.0/feedback', { request: SEED_REQUEST, response: r.body, reward: 1 })),
      );
      expect(queued.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(queued[0]!.body.status).toMatchObject({ code: 202, status: 'SUCCESS', reason: 'QUEUED' });
      expect(queued[0]!.body.status.info).toMatch(/router state store is unavailable: reward 1 for bandit arm \d is queued/);

      const down = await bandit(graph);
      expect(down.fresh).toBe(false);
      expect(down.pulls).toEqual(before.pulls); // the last known state
      expect(down.state).toMatchObject({ store: 'redis', available: false, feedback: { pending: 10, queuedTotal: 10 } });
      expect(down.state.lastError).toMatch(/ECONNREFUSED|max retries|Connection is closed/i);
      expect(down.state.feedback.pendingList.map((p: { puid: string }) => p.puid).sort()).toEqual(
        during.slice(0, 10).map((r) => r.body.meta.puid).sort(),
      );
      // One warning for 25 predictions, 10 feedbacks and a look at the routers: not one per request.
      const warnings = graph.logs.filter((line) => /orchestrator#\d+ \| .*state store .* unavailable/.test(line));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/predictions go on with the last known router state, feedback is queued and retried/);

      // Redis is back, on the same port, with its data.
      redis = await startRedisServer({ port, dir });
      await eventually('the queued feedback applied', async () => (await bandit(graph)).state.feedback.pending === 0, 20_000);
      const after = await bandit(graph);
      expect(after.state).toMatchObject({ available: true, feedback: { pending: 0, queuedTotal: 10, appliedTotal: 10 } });
      const routed = [0, 0];
      for (const r of during.slice(0, 10)) routed[r.body.meta.routing.bandit as number]!++;
      expect(after.pulls).toEqual([before.pulls[0]! + routed[0]!, before.pulls[1]! + routed[1]!]);
      expect(after.rewardSum).toEqual([before.rewardSum[0]! + routed[0]!, before.rewardSum[1]! + routed[1]!]);

      // Sent again now, a queued feedback is recognised as already applied.
      const again = await graph.post('/api/v1.0/feedback', { request: SEED_REQUEST, response: during[0]!.body, reward: 1 });
      expect(again.status).toBe(200);
      expect(again.body.meta.tags).toMatchObject({ applied: 0, duplicate: true });
      expect(graph.logs.some((line) => /state store redis .* is reachable again after/.test(line))).toBe(true);
    } finally {
      await graph.stop();
    }
  });
});
