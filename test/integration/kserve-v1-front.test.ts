/**
 * KServe's V1 protocol at the graph's front door, through the local engine's gateway to the real orchestrator and
 * functions: the seed graph (transformer, bandit, ONNX models) and a single .onnx file served as one model, as a
 * KServe client calls an InferenceService (`/v1/models/<name>:predict`, model list and readiness), with KServe's
 * error bodies.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];

describe('KServe V1 at the front door', () => {
  let seed: RunningGraph;
  let single: RunningGraph;
  let routing: RunningGraph;
  beforeAll(async () => {
    [seed, single, routing] = await Promise.all([
      startGraph(path.resolve('examples/seed/graph.yaml')),
      startGraph(path.resolve('examples/seed/models/good.onnx')),
      startGraph(path.resolve('examples/routing/graph.yaml')),
    ]);
  });
  afterAll(async () => {
    await seed?.stop();
    await single?.stop();
    await routing?.stop();
  });

  it('predicts through the whole graph: instances in, one prediction per instance out', async () => {
    const { status, body } = await seed.post('/v1/models/seed:predict', { instances: ROWS });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(Object.keys(body)).toEqual(['predictions']);
    expect(body.predictions).toHaveLength(2);
    for (const row of body.predictions as number[][]) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('answers what the model answers over the Open Inference Protocol, for a single .onnx file', async () => {
    const v1 = await single.post('/v1/models/good:predict', { instances: ROWS });
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    const v2 = await single.post('/v2/models/good/infer', { inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: ROWS.flat() }] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const flat = (v1.body.predictions as number[][]).flat();
    (v2.body.outputs[0].data as number[]).forEach((v, i) => expect(flat[i]).toBeCloseTo(v, 6));
  });

  it('carries the body\'s other fields as tags, which a switch router routes on', async () => {
    // The routing example's switch, tier, sends tier: gold to a majority vote (arm 0), the rest to a bandit (arm 1).
    const decisions = async (arm: number) => {
      const text = (await (await fetch(`${routing.url}/_fn/orchestrator/metrics`)).text());
      const line = text.split('\n').find((l) => l.startsWith('switchyard_router_decisions_total{') && l.includes('router="tier"') && l.includes(`arm="${arm}"`));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const gold = await routing.post('/v1/models/routing:predict', { instances: [[6.3, 2.5, 4.9, 1.5]], tier: 'gold' });
    expect(gold.status, JSON.stringify(gold.body)).toBe(200);
    for (const share of gold.body.predictions[0] as number[]) expect([0, 1, 2, 3]).toContain(Math.round(share * 3 * 1e6) / 1e6);
    expect([await decisions(0), await decisions(1)]).toEqual([1, 0]);
    const standard = await routing.post('/v1/models/routing:predict', { instances: [[6.3, 2.5, 4.9, 1.5]] });
    expect(standard.status).toBe(200);
    expect([await decisions(0), await decisions(1)]).toEqual([1, 1]);
  });

  it('lists the graph as its one model and says when it is ready', async () => {
    expect(await seed.get('/v1/models')).toEqual({ status: 200, body: { models: ['seed'] } });
    expect(await seed.get('/v1/models/seed')).toEqual({ status: 200, body: { name: 'seed', ready: true } });
  });

  it('answers errors as KServe does, {"error": …}, naming what to send', async () => {
    const wrongModel = await seed.post('/v1/models/iris:predict', { instances: ROWS });
    expect(wrongModel.status).toBe(404);
    expect(wrongModel.body).toEqual({ error: 'model "iris" is not served here: this graph is served as model "seed" (POST /v1/models/seed:predict)' });

    const notList = await seed.post('/v1/models/seed:predict', { instances: 'rows' });
    expect(notList.status).toBe(400);
    expect(notList.body.error).toMatch(/^instances: expected a list of instances/);

    // The model's own check, in the V1 request's terms.
    const short = await single.post('/v1/models/good:predict', { instances: [[1, 2]] });
    expect(short.status).toBe(400);
    expect(Object.keys(short.body)).toEqual(['error']);
    expect(short.body.error).toMatch(/4/);

    const explain = await seed.post('/v1/models/seed:explain', { instances: ROWS });
    expect(explain.status).toBe(501);
    expect(explain.body.error).toMatch(/:explain is not served/);

    const notJson = await fetch(`${seed.url}/v1/models/seed:predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'nope' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: expect.stringMatching(/^the request body is not valid JSON/) });

    const get = await fetch(`${seed.url}/v1/models/seed:predict`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual({ error: '/v1/models/seed:predict takes POST, with {"instances": [...]}' });

    // Fields beside the instances travel as tags; a body that could change prototypes is refused first.
    const tagged = await seed.post('/v1/models/seed:predict', JSON.parse('{"instances": [[5.1, 3.5, 1.4, 0.2]], "constructor": {"prototype": {"x": 1}}}'));
    expect(tagged.status).toBe(400);
    expect(tagged.body.error).toMatch(/constructor\.prototype/);

    expect((await seed.post('/v1/models/seed:predict', { instances: ROWS, client: 'kserve' })).status).toBe(200);
  });
});
