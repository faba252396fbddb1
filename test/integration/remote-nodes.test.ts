/**
 * Remote nodes: model servers that already run elsewhere, called by a graph. The servers are real: another local
 * engine serving the iris model (its function's Seldon component paths, and its graph's Open Inference Protocol
 * endpoint), and an HTTP server here that records what it is sent. The graph in front of them is a real graph with
 * its own transformer and a switch that picks the server by a tag.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { statusCommand } from '../../compiler/cli/commands/status.ts';

const SEED = path.resolve('examples/seed');
const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];

interface Recorded {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

describe('remote nodes (seldon and v2)', () => {
  let server: RunningGraph;
  let graph: RunningGraph;
  let dir: string;
  let recorder: http.Server;
  const recorded: Recorded[] = [];

  beforeAll(async () => {
    server = await startGraph(path.resolve('test/fixtures/engine/iris-server.yaml'));
    // An Open Inference Protocol server that records requests; `fail` in the request id makes it answer 500.
    recorder = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'GET') {
          recorded.push({ url: req.url ?? '', headers: req.headers, body: undefined });
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ name: 'recorded-model', platform: 'test', inputs: [{ name: 'features', datatype: 'FP64', shape: [-1, 4] }], outputs: [{ name: 'score', datatype: 'FP64', shape: [-1, 1] }] }));
        }
        const body = JSON.parse(Buffer.concat(chunks).toString());
        recorded.push({ url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/v1/models/')) {
          // A KServe V1 predictor: each instance's sum.
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ predictions: (body.instances as number[][]).map((row) => [row.reduce((a, b) => a + b, 0)]) }));
        }
        if (String(body.id).startsWith('fail')) return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'model crashed' }));
        const rows = body.inputs[0].shape[0];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model_name: 'recorded-model', id: body.id, outputs: [{ name: 'score', shape: [rows, 1], datatype: 'FP64', data: Array.from({ length: rows }, (_, i) => i + 0.5) }] }));
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-remote-'));
    const file = path.join(dir, 'graph.yaml');
    await writeFile(
      file,
      `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: front }
spec:
  root: features
  nodes:
    features:
      type: TRANSFORMER
      component: ${SEED}/components/features.ts
      children: [pick]
    pick:
      type: ROUTER
      router: switch
      parameters:
        cases:
          - { field: meta.tags.server, equals: seldon, child: seldon-iris }
          - { field: meta.tags.server, equals: recorded, child: recorded }
          - { field: meta.tags.server, equals: gone, child: gone }
          - { field: meta.tags.server, equals: kserve, child: kserve }
          - { field: meta.tags.server, equals: graph, child: whole-graph }
        default: v2-iris
      children: [seldon-iris, v2-iris, recorded, gone, kserve, whole-graph]
    seldon-iris:
      type: MODEL
      remote: { url: "${server.url}/_fn/good-model" }
    v2-iris:
      type: MODEL
      remote: { url: "${server.url}", protocol: v2, model: iris }
    recorded:
      type: MODEL
      remote: { url: "${recorderUrl}/", protocol: v2, model: recorded-model, inputName: features, datatype: FP64 }
    gone:
      type: MODEL
      remote: { url: "http://127.0.0.1:1", protocol: v2 }
    kserve:
      type: MODEL
      remote: { url: "${recorderUrl}", protocol: kserve-v1, model: summer }
    whole-graph:
      type: MODEL
      remote: { url: "${server.url}", protocol: seldon-deployment }
`,
    );
    graph = await startGraph(file);
  });
  afterAll(async () => {
    await graph?.stop();
    await server?.stop();
    await new Promise((resolve) => recorder?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The rows as the graph's transformer hands them on, and the iris model's own answer to them. */
  const expected = async () => {
    const standardized = (await graph.post('/_fn/features/transform-input', { data: { ndarray: ROWS } })).body.data.ndarray;
    const direct = await server.post('/_fn/good-model/predict', { data: { ndarray: standardized } });
    return direct.body.data.ndarray as number[][];
  };
  const predict = (server: string, headers: Record<string, string> = {}) =>
    graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { tags: { server } } }, headers);

  it('calls a Seldon microservice on its component path and answers with its prediction', async () => {
    const { status, body } = await predict('seldon');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.ndarray).toEqual(await expected());
    expect(body.meta.requestPath).toEqual({ features: 'features', pick: 'orchestrator', 'seldon-iris': 'seldon-iris' });
  });

  it('calls an Open Inference Protocol server and turns its answer back into the request\'s form', async () => {
    const { status, body } = await predict('v2');
    expect(status, JSON.stringify(body)).toBe(200);
    const want = await expected();
    (body.data.ndarray as number[][]).forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(want[r]![k]!, 5)));
    expect(body.meta.routing.pick).toBe(1);
  });

  it('sends the V2 request the node describes, with the trace context and without the client\'s credentials', async () => {
    const { status, body, headers } = await predict('recorded', { authorization: 'Bearer client-secret' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.ndarray).toEqual([[0.5], [1.5]]);
    const sent = recorded.at(-1)!;
    expect(sent.url).toBe('/v2/models/recorded-model/infer');
    expect(sent.body.id).toBe(body.meta.puid);
    expect(sent.body.inputs).toHaveLength(1);
    expect(sent.body.inputs[0]).toMatchObject({ name: 'features', shape: [2, 4], datatype: 'FP64' });
    expect(sent.body.inputs[0].data).toHaveLength(8);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.traceparent).toMatch(new RegExp(`^00-${headers.get('traceparent')!.split('-')[1]}-`));
  });

  it('calls a KServe V1 predictor with the rows as instances, and answers with its predictions', async () => {
    const { status, body } = await predict('kserve', { authorization: 'Bearer client-secret' });
    expect(status, JSON.stringify(body)).toBe(200);
    const sent = recorded.at(-1)!;
    expect(sent.url).toBe('/v1/models/summer:predict');
    const standardized = (await graph.post('/_fn/features/transform-input', { data: { ndarray: ROWS } })).body.data.ndarray as number[][];
    expect(sent.body).toEqual({ instances: standardized });
    expect(sent.headers.authorization).toBeUndefined();
    expect(body.data.ndarray).toEqual(standardized.map((row) => [row.reduce((a, b) => a + b, 0)]));
  });

  it('calls a whole graph on its /api/v1.0/predictions, with this prediction\'s puid, and keeps its payload, not its routing', async () => {
    const { status, body, headers } = await predict('graph');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.ndarray).toEqual(await expected());
    expect(body.meta.requestPath).toEqual({ features: 'features', pick: 'orchestrator', 'whole-graph': 'whole-graph' });
    // The other graph continued this request's trace, under this prediction's puid.
    const traceId = headers.get('traceparent')!.split('-')[1]!;
    await eventually('the other graph\'s spans of this trace', async () => {
      const answer = await server.get(`/_switchyard/traces/${traceId}`);
      const spans = (answer.status === 200 ? answer.body.spans : []) as Array<{ attributes: Record<string, unknown> }>;
      return spans.some((span) => span.attributes['switchyard.puid'] === body.meta.puid && span.attributes['switchyard.graph'] === 'iris');
    });
  });

  it('names the remote node when its server fails or cannot be reached', async () => {
    const failed = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { puid: 'fail-1', tags: { server: 'recorded' } } });
    expect(failed.status).toBe(502);
    expect(failed.body.status).toMatchObject({ reason: 'node_failed', info: expect.stringContaining('node "recorded"') });
    expect(failed.body.status.info).toContain('model crashed');
    const gone = await predict('gone');
    expect(gone.status).toBe(503);
    expect(gone.body.status).toMatchObject({ reason: 'node_unreachable', info: expect.stringContaining('http://127.0.0.1:1/v2/models/gone/infer') });
  });

  it('switchyard status says where each remote node runs', async () => {
    const lines: string[] = [];
    const { port, hostname } = new URL(graph.url);
    expect(await statusCommand({ port, host: hostname }, { info: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(0);
    expect(lines).toContain('remote nodes (served elsewhere):');
    expect(lines).toContain(`  v2-iris → ${server.url}`);
    expect(lines).toContain('  gone → http://127.0.0.1:1');
  });

  it('asks the remote servers for the graph\'s V2 metadata, and names the one that does not answer', async () => {
    const response = await fetch(`${graph.url}/v2/models/front`, { headers: { authorization: 'Bearer client-secret' } });
    const [status, body] = [response.status, (await response.json()) as { error: string }];
    expect(status).toBe(503);
    expect(body.error).toContain('node "gone"');
    // The lookups run side by side: the recording server's may land after "gone" has already failed the answer.
    await eventually('the metadata lookup at the recording server', () => recorded.some((r) => r.url === '/v2/models/recorded-model'));
    expect(recorded.filter((r) => r.url === '/v2/models/recorded-model').every((r) => r.headers.authorization === undefined)).toBe(true);
  });
});
