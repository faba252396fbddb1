/**
 * The seed graph end to end on the local engine: real compiler, real function processes, real onnxruntime.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const SEED = path.resolve('examples/seed/graph.yaml');
const seldonRequest = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));
const v2Request = JSON.parse(await readFile('examples/seed/requests/v2.json', 'utf8'));
const v1Request = JSON.parse(await readFile('examples/seed/requests/v1.json', 'utf8'));
const CLASS_NAMES = ['setosa', 'versicolor', 'virginica'];

describe('seed graph on the local engine', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(SEED);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('starts with every function at zero replicas', () => {
    for (const fn of graph.engine.status().functions) expect(fn.ready, fn.function).toBe(0);
  });

  it('answers the README\'s Seldon request with class probabilities and the route taken', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', seldonRequest);
    expect(status).toBe(200);
    expect(body.data.names).toEqual(CLASS_NAMES);
    const [row] = body.data.ndarray as number[][];
    expect(row).toHaveLength(3);
    expect(row!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(body.meta.puid).toMatch(/^[0-9a-v]{26}$/);
    expect([0, 1]).toContain(body.meta.routing.bandit);
    expect(body.meta.routing.features).toBe(-1);
    const chosen = graph.plan.nodes.bandit!.children[body.meta.routing.bandit];
    expect(body.meta.requestPath).toEqual({ features: 'features', bandit: 'orchestrator', [chosen!]: chosen });
  });

  it('answers a tensor request as a tensor', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { tensor: { shape: [2, 4], values: [5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5] } } });
    expect(status).toBe(200);
    expect(body.data.tensor.shape).toEqual([2, 3]);
    expect(body.data.tensor.values).toHaveLength(6);
  });

  it('keeps a client puid and carries meta tags through', async () => {
    const { body } = await graph.post('/api/v1.0/predictions', { ...seldonRequest, meta: { puid: 'my-request-1', tags: { team: 'ml' } } });
    expect(body.meta.puid).toBe('my-request-1');
    expect(body.meta.tags.team).toBe('ml');
  });

  it('serves the Seldon path prefix /seldon/<namespace>/<graph>/', async () => {
    const { status, body } = await graph.post('/seldon/default/seed/api/v1.0/predictions', seldonRequest);
    expect(status).toBe(200);
    expect(body.data.ndarray[0]).toHaveLength(3);
  });

  it('answers the README\'s Open Inference Protocol request', async () => {
    const { status, body } = await graph.post('/v2/models/seed/infer', v2Request);
    expect(status).toBe(200);
    expect(body.model_name).toBe('seed');
    expect(body.id).toBe('seed-1');
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0].datatype).toBe('FP32');
    expect(body.outputs[0].shape).toEqual([1, 3]);
    expect((body.outputs[0].data as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('answers the README\'s KServe V1 request', async () => {
    const { status, body } = await graph.post('/v1/models/seed:predict', v1Request);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.predictions).toHaveLength(1);
    expect((body.predictions[0] as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('serves metadata and health', async () => {
    expect((await graph.get('/api/v1.0/metadata')).body.name).toBe('seed');
    expect((await graph.get('/v2/models/seed')).body.name).toBe('seed');
    expect((await graph.get('/health/ping')).status).toBe(200);
    expect((await graph.get('/v2/health/ready')).status).toBe(200);
  });

  it('teaches the bandit from feedback: rewards reach the arm that was routed to, once per puid', async () => {
    const before = (await graph.get('/api/v1.0/routers')).body.routers[0];
    const pulls = (arm: { pulls: number }[]) => arm.map((a) => a.pulls);
    const counts = [0, 0];
    for (let i = 0; i < 20; i++) {
      const { body } = await graph.post('/api/v1.0/predictions', seldonRequest);
      const arm = body.meta.routing.bandit as number;
      counts[arm]!++;
      // The good model is rewarded, the weak one not.
      const reward = graph.plan.nodes.bandit!.children[arm] === 'good-model' ? 1 : 0;
      const feedback = await graph.post('/api/v1.0/feedback', { request: seldonRequest, response: body, reward });
      expect(feedback.status).toBe(200);
      if (i === 0) {
        const again = await graph.post('/api/v1.0/feedback', { request: seldonRequest, response: body, reward });
        expect(again.status).toBe(200);
        expect(again.body.status.info).toMatch(/already applied/);
      }
    }
    const after = (await graph.get('/api/v1.0/routers')).body.routers[0];
    expect(after.node).toBe('bandit');
    expect(pulls(after.arms)).toEqual([pulls(before.arms)[0]! + counts[0]!, pulls(before.arms)[1]! + counts[1]!]);
    const good = graph.plan.nodes.bandit!.children.indexOf('good-model');
    expect(after.arms[good].child).toBe('good-model');
    if (counts[good]! > 0) expect(after.arms[good].meanReward).toBeGreaterThan(0.9);
    if (counts[1 - good]! > 0) expect(after.arms[1 - good].meanReward).toBeLessThan(0.1);
  });

  it('rejects feedback that lost its routing, saying what to send', async () => {
    const { status, body } = await graph.post('/api/v1.0/feedback', { request: seldonRequest, response: { data: { ndarray: [[1, 0, 0]] } }, reward: 1 });
    expect(status).toBe(400);
    expect(body.status.status).toBe('FAILURE');
    expect(body.status.info).toMatch(/meta\.routing.*bandit/);
  });

  it.each([
    { name: 'malformed JSON', body: '{"data": {"ndarray": [[1,2', status: 400, info: /JSON/ },
    { name: 'no payload', body: { meta: {} }, status: 400, info: /data/ },
    { name: 'rows of 3 features', body: { data: { ndarray: [[1, 2, 3]] } }, status: 400, info: /features|4/ },
    { name: 'strings instead of numbers', body: { data: { ndarray: [['a', 'b', 'c', 'd']] } }, status: 400, info: /number/ },
    { name: 'ragged rows', body: { data: { ndarray: [[1, 2, 3, 4], [1, 2]] } }, status: 400, info: /./ },
    { name: 'tensor values not matching the shape', body: { data: { tensor: { shape: [1, 4], values: [1, 2] } } }, status: 400, info: /shape|values/ },
  ])('answers $name with a Seldon error naming the problem', async ({ body, status, info }) => {
    const response = await graph.post('/api/v1.0/predictions', body);
    expect(response.status).toBe(status);
    expect(response.body.status).toMatchObject({ code: status, status: 'FAILURE' });
    expect(response.body.status.info).toMatch(info);
    // The next good request is served normally.
    expect((await graph.post('/api/v1.0/predictions', seldonRequest)).status).toBe(200);
  });

  it('answers V2 errors with {error}: unknown model 404, bad datatype 400', async () => {
    const unknown = await graph.post('/v2/models/nope/infer', v2Request);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/"nope".*"seed"/);
    const bad = await graph.post('/v2/models/seed/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP322', data: [1, 2, 3, 4] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/datatype/);
  });

  it('exports Seldon Core\'s executor series, so its dashboards read the graph as a SeldonDeployment', async () => {
    const prediction = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[5.1, 3.5, 1.4, 0.2]] } });
    expect(prediction.status).toBe(200);
    const model = Object.keys(prediction.body.meta.requestPath).find((n) => n.endsWith('-model'))!;
    const text = await (await fetch(`${graph.url}/_fn/orchestrator/metrics`)).text();
    const count = (metric: string, labels: string) => Number(new RegExp(`^${metric}_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const deployment = 'graph="seed",deployment_name="seed",predictor_name="default",predictor_version=""';
    expect(count('seldon_api_executor_server_requests_seconds', `${deployment},service="predictions",method="POST",code="200"`)).toBeGreaterThan(0);
    expect(count('seldon_api_executor_server_requests_seconds', `${deployment},service="feedback",method="POST",code="200"`)).toBeGreaterThan(0);
    expect(count('seldon_api_executor_client_requests_seconds', `${deployment},service="/transform-input",model_name="features",model_image="switchyard/component",model_version="",method="POST",code="200"`)).toBeGreaterThan(0);
    expect(count('seldon_api_executor_client_requests_seconds', `${deployment},service="/predict",model_name="${model}",model_image="switchyard/onnx",model_version="",method="POST",code="200"`)).toBeGreaterThan(0);
    expect(text).toMatch(/^seldon_api_executor_client_requests_seconds_bucket\{[^}]*le="0\.075"[^}]*\} \d+$/m);
  });

  it('answers an oversized body with 413', async () => {
    const huge = JSON.stringify({ data: { ndarray: [Array.from({ length: 3_000_000 }, () => 1.5)] } });
    const { status, body } = await graph.post('/api/v1.0/predictions', huge);
    expect(status).toBe(413);
    expect(body.status.info).toMatch(/limit/);
  });
});
