/** examples/routing: its README requests through the real graph: a switch, an ensemble of two combiners, a UCB1 bandit. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const request = async (name: string) => JSON.parse(await readFile(`examples/routing/requests/${name}`, 'utf8'));

describe('examples/routing', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('examples/routing/graph.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('sends a gold request to the ensemble: a vote of three, as shares that sum to 1', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', await request('gold.json'));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.meta.routing).toMatchObject({ tier: 0, ensemble: -1, average: -1 });
    expect(Object.keys(body.meta.requestPath)).toEqual(expect.arrayContaining(['good', 'weak', 'good-for-average', 'weak-for-average']));
    const shares = body.data.ndarray[0] as number[];
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    for (const share of shares) expect([0, 1 / 3, 2 / 3, 1].some((v) => Math.abs(v - share) < 1e-6)).toBe(true);
    expect(body.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('sends everything else to the bandit, which tries each model first', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const { status, body } = await graph.post('/api/v1.0/predictions', await request('standard.json'));
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.meta.routing.tier).toBe(1);
      seen.add(Object.keys(body.meta.requestPath).find((n) => n.endsWith('-for-bandit'))!);
      // UCB1 tries the arms without a reward first: reward this one so the next request goes to the other.
      expect((await graph.post('/api/v1.0/feedback', { response: body, reward: 1 })).status).toBe(200);
    }
    expect([...seen].sort()).toEqual(['good-for-bandit', 'weak-for-bandit']);
  });

  it('routes a V2 request by its parameters', async () => {
    const { status, body } = await graph.post('/v2/models/routing/infer', await request('gold-v2.json'));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.parameters['routing.tier']).toBe(0);
    expect(body.outputs[0].shape).toEqual([1, 3]);
  });
});
