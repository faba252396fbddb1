/**
 * The seed demo's bandit keeps learning although its orchestrator scales to zero between bursts of traffic: real
 * function processes, the local engine's autoscaler, the default file store. Each burst cold-starts a new
 * orchestrator process, which must find what the earlier ones learned.
 *
 * Rewards make the answer unambiguous: 1 whenever the good model was chosen, 0 for the weak one. The weak model is
 * the router's first child, so a bandit that forgot everything would start each burst on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { bandit, compileGraph, runEngine, SEED, SEED_REQUEST } from './state-fixtures.ts';

const BURSTS = 4;
const PER_BURST = 25;

describe('bandit learning across scale-to-zero', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-burst-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it(`converges on the good model over ${BURSTS} bursts, each served by a freshly started orchestrator`, async () => {
    const compiled = await compileGraph(SEED, path.join(dir, 'build'), { scaling: { scaleToZeroGracePeriodMs: 200 } });
    // A short stable window for the local engine only (Knative's minimum is 6 s), so that each burst's functions
    // return to zero within about a second.
    for (const fn of Object.values(compiled.plan.functions)) fn.scaling.stableWindowMs = 400;
    const statePath = path.join(dir, 'state', 'seed.json');
    const graph = await runEngine(compiled, { kind: 'file', path: statePath }, { tickMs: 100 });
    const orchestrator = () => graph.engine.status().functions.find((f) => f.function === 'orchestrator')!;
    try {
      const shares: number[] = [];
      for (let burst = 0; burst < BURSTS; burst++) {
        expect(orchestrator().ready + orchestrator().starting).toBe(0);
        let good = 0;
        for (let i = 0; i < PER_BURST; i++) {
          const prediction = await graph.post('/api/v1.0/predictions', SEED_REQUEST);
          expect(prediction.status).toBe(200);
          const arm = prediction.body.meta.routing.bandit as number;
          const chose = graph.plan.nodes.bandit!.children[arm];
          if (chose === 'good-model') good++;
          const feedback = await graph.post('/api/v1.0/feedback', { request: SEED_REQUEST, response: prediction.body, reward: chose === 'good-model' ? 1 : 0 });
          expect(feedback.status).toBe(200);
        }
        shares.push(good / PER_BURST);
        await eventually(`the orchestrator back at zero after burst ${burst + 1}`, () => orchestrator().ready + orchestrator().starting === 0, 20_000);
      }
      expect(orchestrator().coldStarts).toBe(BURSTS);

      const learned = await bandit(graph);
      // Every reward of every burst is in the store: none was lost with a process.
      expect(learned.pulls[0]! + learned.pulls[1]!).toBe(BURSTS * PER_BURST);
      const goodArm = learned.children.indexOf('good-model');
      expect(learned.rewardSum[goodArm]).toBe(learned.pulls[goodArm]);
      expect(learned.rewardSum[1 - goodArm]).toBe(0);
      // Epsilon 0.2 over two arms: once learned, about 90 % of the traffic goes to the good model. (It fails only if
      // the good model was never explored in the first 75 decisions: 0.9^75, about 4 in 10 000.)
      expect(shares.at(-1)).toBeGreaterThanOrEqual(0.6);
      expect(learned.state).toMatchObject({ store: 'file', location: statePath });
    } finally {
      await graph.stop();
    }
  }, 120_000);
});
