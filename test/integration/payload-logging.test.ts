/**
 * Payload logging on a real graph (the seed graph's component, bandit and ONNX models on the local engine): the
 * orchestrator POSTs CloudEvents to a real HTTP receiver started here. The graph's logger sees what clients sent and
 * received; nodes' loggers see what each node was given and answered; a logger that refuses costs no prediction.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

interface Event {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

const SEED = path.resolve('examples/seed');
const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];

describe('payload logging (spec.logger and node loggers)', () => {
  const events: Event[] = [];
  let receiver: http.Server;
  let graph: RunningGraph;
  let dir: string;

  beforeAll(async () => {
    // /broken answers 503, as a logger that is down would.
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/broken') return void res.writeHead(503).end('unavailable');
        events.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const sink = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-payload-log-'));
    const file = path.join(dir, 'graph.yaml');
    await writeFile(
      file,
      `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: logged, namespace: team-a }
spec:
  root: features
  logger: { url: "${sink}/graph" }
  nodes:
    features:
      type: TRANSFORMER
      component: ${SEED}/components/features.ts
      children: [bandit]
      logger: { url: "${sink}/features" }
    bandit:
      type: ROUTER
      router: epsilon-greedy
      parameters: { epsilon: 0, seed: 7 }
      children: [good-model, weak-model]
      logger: { url: "${sink}/bandit", mode: response }
    good-model:
      type: MODEL
      onnx: { path: ${SEED}/models/good.onnx, classNames: [setosa, versicolor, virginica] }
      logger: { url: "${sink}/broken", mode: request }
    weak-model:
      type: MODEL
      onnx: { path: ${SEED}/models/weak.onnx }
`,
    );
    graph = await startGraph(file);
  });
  afterAll(async () => {
    await graph?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const eventsOf = (puid: string) => events.filter((e) => e.headers['ce-requestid'] === puid);

  it('logs a Seldon prediction: the request and answer as the client saw them, and each logged node\'s payloads', async () => {
    const { status, body, headers } = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS } });
    expect(status, JSON.stringify(body)).toBe(200);
    const puid: string = body.meta.puid;
    await eventually('the graph\'s, the transformer\'s and the router\'s events', () => eventsOf(puid).length === 5);
    const got = eventsOf(puid);
    const at = (where: string, type: string) => got.filter((e) => e.path === where && e.headers['ce-type'] === `io.seldon.serving.inference.${type}`);

    const [request] = at('/graph', 'request');
    const [response] = at('/graph', 'response');
    expect(request!.body).toEqual({ data: { ndarray: ROWS }, meta: { puid } });
    expect(response!.body).toEqual(body);
    const traceId = headers.get('traceparent')!.split('-')[1];
    expect(request!.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-source': '/switchyard/team-a/logged',
      'ce-modelid': 'logged',
      'ce-inferenceservicename': 'logged',
      'ce-namespace': 'team-a',
      'ce-endpoint': '/api/v1.0/predictions',
      'ce-protocol': 'seldon',
      'content-type': 'application/json',
    });
    expect(request!.headers['ce-traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(Date.parse(String(request!.headers['ce-time']))).not.toBeNaN();
    expect(new Set(got.map((e) => e.headers['ce-id'])).size).toBe(got.length);

    // The transformer: its input (the client's rows) and its output (the standardized rows the bandit saw).
    const [fin] = at('/features', 'request');
    const [fout] = at('/features', 'response');
    expect(fin!.headers).toMatchObject({ 'ce-modelid': 'features', 'ce-endpoint': '/transform-input', 'ce-source': '/switchyard/team-a/logged/nodes/features' });
    expect(fin!.body.data.ndarray).toEqual(ROWS);
    const standardized = fout!.body.data.ndarray as number[][];
    expect(standardized).toHaveLength(2);
    expect(standardized[0]![0]).not.toBeCloseTo(ROWS[0]![0]!, 1);

    // The router (mode: response): only its decision, as a Seldon /route answer would give it.
    expect(at('/bandit', 'request')).toHaveLength(0);
    expect(at('/bandit', 'response').map((e) => e.body)).toEqual([{ data: { ndarray: [[body.meta.routing.bandit]] } }]);
  });

  it('logs V2 inference with the request id as the event\'s requestid', async () => {
    const id = 'v2-request-1';
    const { status, body } = await graph.post('/v2/models/logged/infer', { id, inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: ROWS[0] }] });
    expect(status, JSON.stringify(body)).toBe(200);
    await eventually('the V2 request\'s graph events', () => eventsOf(id).filter((e) => e.path === '/graph').length === 2);
    const graphEvents = eventsOf(id).filter((e) => e.path === '/graph');
    for (const event of graphEvents) expect(event.headers).toMatchObject({ 'ce-protocol': 'v2', 'ce-endpoint': '/v2/models/logged/infer' });
    const request = graphEvents.find((e) => e.headers['ce-type'] === 'io.seldon.serving.inference.request')!;
    const response = graphEvents.find((e) => e.headers['ce-type'] === 'io.seldon.serving.inference.response')!;
    expect(request.body).toEqual({ id, inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: ROWS[0] }] });
    expect(response.body).toEqual(body);
  });

  it('logs feedback under the prediction\'s puid', async () => {
    const { body: prediction } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[0]] } });
    const feedback = { response: prediction, reward: 1 };
    const { status } = await graph.post('/api/v1.0/feedback', feedback);
    expect(status).toBe(200);
    const puid = prediction.meta.puid as string;
    await eventually('the feedback event', () => eventsOf(puid).some((e) => e.headers['ce-type'] === 'io.seldon.serving.feedback'));
    const event = eventsOf(puid).find((e) => e.headers['ce-type'] === 'io.seldon.serving.feedback')!;
    expect(event.path).toBe('/graph');
    expect(event.headers['ce-endpoint']).toBe('/api/v1.0/feedback');
    expect(event.body).toMatchObject({ reward: 1, response: { meta: { puid } } });
  });

  it('a logger that refuses costs no prediction: the failures are counted and reported once', async () => {
    // epsilon 0 and no reward yet for weak-model: good-model (arm 0) serves, and its logger answers 503.
    for (let i = 0; i < 5; i++) {
      const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[1]] } });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.meta.requestPath).toHaveProperty('good-model');
    }
    await eventually('failed events in the orchestrator\'s metrics', async () => {
      const metrics = await graph.get('/_fn/orchestrator/metrics');
      const failed = /switchyard_payload_log_events_total\{[^}]*outcome="failed"[^}]*\} (\d+)/.exec(String(metrics.body));
      return failed !== null && Number(failed[1]) >= 5;
    });
    const metrics = String((await graph.get('/_fn/orchestrator/metrics')).body);
    expect(metrics).toMatch(/switchyard_payload_log_events_total\{[^}]*outcome="sent"[^}]*\} [1-9]/);
    const warnings = graph.logs.filter((line) => line.includes('payload logger:'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]).toMatch(/not delivered to http:\/\/127\.0\.0\.1:\d+\/broken \(it answered 503\): check that the logger at that URL is running/);
    // Only the first failure of a 30 s period is a line of its own: far fewer lines than failures.
    const failed = Number(/switchyard_payload_log_events_total\{[^}]*outcome="failed"[^}]*\} (\d+)/.exec(metrics)![1]);
    expect(warnings.length).toBeLessThan(failed);
  });
});
