/**
 * Remote Seldon microservices over gRPC (`protocol: seldon-grpc`): a graph whose every node is a unit of a
 * SeldonDeployment with `endpoint: {type: GRPC}`, called on Seldon's component services as Seldon Core's executor
 * calls them (`Transformer/TransformInput`, `Router/Route`, `Combiner/Aggregate`, `Model/Predict`,
 * `OutputTransformer/TransformOutput`, `Model/SendFeedback`, `Model/Metadata`).
 *
 * The microservices are real gRPC servers here, from Seldon's own prediction.proto: `seldon-a` serves every
 * component service (as Seldon's Python wrapper does), records what it is sent, and fails on purpose when a request
 * asks it to; `seldon-b` serves `Model/Predict` only. The graph in front of them is compiled and run by the real
 * engine, so its orchestrator is the bundle the compiler builds (with the gRPC clients in it). Then the same calls to
 * a microservice in Python (grpcio, stubs compiled from the same .proto, messages through json_format as Seldon's
 * Python wrapper reads and writes them), a protobuf implementation other than the one the graph uses.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import readline from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeldonPackage, SELDON_PROTO_DIR, SELDON_PROTO_FILES } from '../../runtime/grpc/load-proto.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { PYTHON, pythonGrpcMissing } from '../helpers/python-grpc.ts';

interface Received {
  method: string;
  request: any;
  metadata: Record<string, unknown>;
}

type Unary = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => void;

/** A decoded Tensor message's values, and one to answer with. */
const valuesOf = (message: any): number[] => (message?.data?.tensor?.values ?? []).map(Number);
const shapeOf = (message: any): number[] => (message?.data?.tensor?.shape ?? []).map(Number);
const tensor = (shape: number[], values: number[], meta?: unknown) => ({ ...(meta ? { meta } : {}), data: { tensor: { shape, values } } });
/** A request tag's text (`google.protobuf.Value`), as the microservice reads it. */
const tagOf = (message: any, key: string): string | undefined => {
  const value = message?.meta?.tags?.[key];
  return value === undefined ? undefined : String(value.stringValue ?? value.numberValue);
};

async function serve(services: Record<string, Record<string, Unary>>): Promise<{ server: grpc.Server; url: string }> {
  const seldon = loadSeldonPackage();
  const server = new grpc.Server();
  for (const [name, implementation] of Object.entries(services)) server.addService(seldon[`seldon.protos.${name}`] as grpc.ServiceDefinition, implementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { server, url: `http://127.0.0.1:${port}` };
}

describe('remote Seldon microservices over gRPC (seldon-grpc)', () => {
  let graph: RunningGraph;
  let dir: string;
  const servers: grpc.Server[] = [];
  const received: Received[] = [];

  beforeAll(async () => {
    const record = (method: string, call: grpc.ServerUnaryCall<any, any>) => received.push({ method, request: call.request, metadata: call.metadata.getMap() });
    const a = await serve({
      Transformer: {
        TransformInput(call, callback) {
          record('TransformInput', call);
          callback(null, tensor(shapeOf(call.request), valuesOf(call.request).map((v) => v * 10), call.request.meta));
        },
      },
      Router: {
        Route(call, callback) {
          record('Route', call);
          const branch = Number(tagOf(call.request, 'branch') ?? 0);
          callback(null, { data: { ndarray: { values: [{ listValue: { values: [{ numberValue: branch }] } }] } } });
        },
      },
      Combiner: {
        Aggregate(call, callback) {
          record('Aggregate', call);
          const messages = call.request.seldonMessages as any[];
          callback(null, tensor([messages.length], messages.map((m) => valuesOf(m).reduce((s, v) => s + v, 0))));
        },
      },
      OutputTransformer: {
        TransformOutput(call, callback) {
          record('TransformOutput', call);
          callback(null, tensor(shapeOf(call.request), valuesOf(call.request).map((v) => v + 1)));
        },
      },
      Model: {
        Predict(call, callback) {
          record('Predict', call);
          switch (tagOf(call.request, 'mode')) {
            case 'slow':
              return void setTimeout(() => callback(null, tensor([1], [0])), 2000);
            case 'broken':
              return callback(null, { customData: { type_url: 'type.googleapis.com/x', value: Buffer.from('x') } });
            case 'fail':
              // What Seldon's Python wrapper answers when the user's predict raises.
              return callback({ code: grpc.status.UNKNOWN, details: 'Exception calling application: boom' });
          }
          const [rows, cols] = shapeOf(call.request) as [number, number];
          const values = valuesOf(call.request);
          callback(null, tensor([rows, 1], Array.from({ length: rows }, (_, r) => values.slice(r * cols, (r + 1) * cols).reduce((s, v) => s + v, 0))));
        },
        SendFeedback(call, callback) {
          record('SendFeedback', call);
          callback(null, {});
        },
        Metadata(call, callback) {
          record('Metadata', call);
          callback(null, { name: 'row-sum', platform: 'seldon', versions: ['v3'], inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 2] }], outputs: [{ name: 'sum', datatype: 'FP64', shape: [-1, 1] }], custom: { author: 'test' } });
        },
      },
    });
    const b = await serve({
      Model: {
        Predict(call, callback) {
          record('Predict b', call);
          callback(null, tensor(shapeOf(call.request), valuesOf(call.request).map((v) => v * 2)));
        },
      },
    });
    servers.push(a.server, b.server);
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-remote-seldon-grpc-'));
    const file = path.join(dir, 'graph.yaml');
    const unit = (type: string, url: string, extra = '') => `      type: ${type}\n      remote: { url: "${url}", protocol: seldon-grpc }\n${extra}`;
    await writeFile(
      file,
      `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: units }
spec:
  root: out
  nodes:
    out:
${unit('OUTPUT_TRANSFORMER', a.url, '      children: [scale]\n')}    scale:
${unit('TRANSFORMER', `${a.url}/`, '      children: [route]\n')}    route:
${unit('ROUTER', a.url, '      children: [ensemble, sum, gone]\n')}    ensemble:
${unit('COMBINER', a.url, '      children: [total, twice]\n')}    total:
${unit('MODEL', a.url)}    twice:
${unit('MODEL', b.url)}    sum:
${unit('MODEL', a.url, '      timeout: 300ms\n')}    gone:
${unit('MODEL', 'http://127.0.0.1:1')}`,
    );
    graph = await startGraph(file);
  });
  afterAll(async () => {
    await graph?.stop();
    for (const server of servers) server.forceShutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ROWS = { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } };
  const predict = (tags: Record<string, unknown>, headers: Record<string, string> = {}) => graph.post('/api/v1.0/predictions', { data: ROWS, meta: { tags } }, headers);
  const methods = () => received.map((r) => r.method);

  it('walks the graph through every component service, in the order Seldon\'s executor calls them', async () => {
    received.length = 0;
    const { status, body } = await predict({ branch: 0 });
    expect(status, JSON.stringify(body)).toBe(200);
    // ×10 by the transformer; the combiner's children: row sums (100 in all) and ×2 (200 in all); +1 by the output transformer.
    expect(body.data.tensor).toEqual({ shape: [2], values: [101, 201] });
    expect(methods()).toEqual(['TransformInput', 'Route', expect.stringMatching(/^Predict/), expect.stringMatching(/^Predict/), 'Aggregate', 'TransformOutput']);
    expect(methods().filter((m) => m.startsWith('Predict')).sort()).toEqual(['Predict', 'Predict b']);
    expect(body.meta.routing).toEqual({ out: -1, scale: -1, route: 0, ensemble: -1 });
    expect(Object.keys(body.meta.requestPath).sort()).toEqual(['ensemble', 'out', 'route', 'scale', 'total', 'twice']);
    // Each child got the transformer's output, and the combiner both children's answers, in the children's order.
    const aggregate = received.find((r) => r.method === 'Aggregate')!.request;
    expect(aggregate.seldonMessages.map(valuesOf)).toEqual([[30, 70], [20, 40, 60, 80]]);

    const other = await predict({ branch: 1 });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(other.body.data.tensor).toEqual({ shape: [2, 1], values: [31, 71] });
  });

  it('sends the trace context and the request tags as gRPC metadata and message, and never the client\'s credentials', async () => {
    received.length = 0;
    const { status } = await predict({ branch: 1, who: 'tagged' }, { authorization: 'Bearer client-secret', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(status).toBe(200);
    const first = received.find((r) => r.method === 'TransformInput')!;
    expect(String(first.metadata.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(first.metadata.authorization).toBeUndefined();
    expect(tagOf(first.request, 'who')).toBe('tagged');
    expect(first.request.meta.puid).toMatch(/\S/);
  });

  it('traces each gRPC call as the node\'s client span', async () => {
    const { status, headers } = await predict({ branch: 1 });
    expect(status).toBe(200);
    const traceId = headers.get('traceparent')!.split('-')[1]!;
    await eventually('the spans of the gRPC calls', async () => {
      const answer = await graph.get(`/_switchyard/traces/${traceId}`);
      const names = (answer.status === 200 ? answer.body.spans : []).map((span: { name: string }) => span.name);
      return ['call scale /transform-input', 'call route /route', 'call sum /predict', 'call out /transform-output'].every((name) => names.includes(name));
    });
  });

  it('sends feedback with Model/SendFeedback to the remote router and to the MODEL units that served the prediction', async () => {
    const prediction = await predict({ branch: 0 });
    expect(prediction.status).toBe(200);
    received.length = 0;
    const feedback = await graph.post('/api/v1.0/feedback', { request: { data: ROWS }, response: prediction.body, reward: 1 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    // route (its arm), then total, the model of seldon-a that served the prediction; twice's server has no SendFeedback.
    const sent = received.filter((r) => r.method === 'SendFeedback');
    expect(sent).toHaveLength(2);
    for (const one of sent) {
      expect(one.request.reward).toBe(1);
      expect(one.request.response.meta.routing).toMatchObject({ route: 0 });
      expect(valuesOf(one.request.request)).toEqual([1, 2, 3, 4]);
    }
    expect(feedback.body.status.info).toMatch(/^reward 1 applied to route arm 0; sent to total; not taken by twice \(.*failed Model\/SendFeedback: UNIMPLEMENTED/);

    // A prediction the combiner's models did not serve sends them nothing.
    const other = await predict({ branch: 1 });
    received.length = 0;
    expect((await graph.post('/api/v1.0/feedback', { response: other.body, reward: 0 })).body.status.info).toBe('reward 0 applied to route arm 1; sent to sum');
    expect(received.filter((r) => r.method === 'SendFeedback')).toHaveLength(2);
  });

  it('asks a microservice for its metadata with Model/Metadata, and names the node whose server cannot say', async () => {
    const own = await graph.get('/api/v1.0/metadata/sum');
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    // The node's name, as for every node; the rest is what the microservice said.
    expect(own.body).toMatchObject({ name: 'sum', platform: 'seldon', versions: ['v3'], inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 2] }], outputs: [{ name: 'sum', datatype: 'FP64', shape: [-1, 1] }], custom: { author: 'test' } });
    const none = await graph.get('/api/v1.0/metadata/twice');
    expect(none.status).toBe(503);
    expect(JSON.stringify(none.body)).toMatch(/the metadata of node \\"twice\\".*could not be read: UNIMPLEMENTED/);
  });

  it('maps gRPC failures to clear errors that name the node and the method, and keeps serving', async () => {
    const slow = await predict({ branch: 1, mode: 'slow' });
    expect(slow.status, JSON.stringify(slow.body)).toBe(504);
    expect(JSON.stringify(slow.body)).toMatch(/node \\"sum\\".*did not answer Model\/Predict within 300 ms/);

    const failed = await predict({ branch: 1, mode: 'fail' });
    expect(failed.status).toBe(502);
    expect(JSON.stringify(failed.body)).toMatch(/node \\"sum\\".*failed Model\/Predict: UNKNOWN: Exception calling application: boom/);

    const broken = await predict({ branch: 1, mode: 'broken' });
    expect(broken.status).toBe(502);
    expect(JSON.stringify(broken.body)).toMatch(/node \\"sum\\".*Model\/Predict\) answered with a message that cannot be read: customData/);

    const gone = await predict({ branch: 2 });
    expect(gone.status).toBe(503);
    expect(JSON.stringify(gone.body)).toMatch(/node \\"gone\\".*unavailable \(UNAVAILABLE/);

    expect((await predict({ branch: 0 })).status).toBe(200);
  });
});

const missing = pythonGrpcMissing();

describe.skipIf(missing !== undefined)(`a Seldon microservice in Python over gRPC (seldon-grpc)${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  let dir: string;
  let python: ChildProcessWithoutNullStreams;
  const calls: Array<{ method: string; request: any; metadata: Record<string, string> }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-pyseldon-unit-'));
    execFileSync(PYTHON, ['-m', 'grpc_tools.protoc', '-I', SELDON_PROTO_DIR, `--python_out=${dir}`, `--grpc_python_out=${dir}`, ...SELDON_PROTO_FILES]);
    python = spawn(PYTHON, [path.resolve('test/fixtures/grpc/seldon_microservice.py'), dir]);
    const port = await new Promise<number>((resolve, reject) => {
      python.once('exit', (code) => reject(new Error(`the Python microservice exited with ${code}`)));
      readline.createInterface({ input: python.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line);
        if (parsed.listening !== undefined) resolve(parsed.listening);
        else calls.push(parsed);
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const unit = (type: string, children = '') => `      type: ${type}\n      remote: { url: "${url}", protocol: seldon-grpc }\n${children}`;
    const file = path.join(dir, 'graph.yaml');
    await writeFile(
      file,
      `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: python-units }
spec:
  root: out
  nodes:
    out:
${unit('OUTPUT_TRANSFORMER', '      children: [scale]\n')}    scale:
${unit('TRANSFORMER', '      children: [route]\n')}    route:
${unit('ROUTER', '      children: [ensemble, sum]\n')}    ensemble:
${unit('COMBINER', '      children: [left, right]\n')}    left:
${unit('MODEL')}    right:
${unit('MODEL')}    sum:
${unit('MODEL')}`,
    );
    graph = await startGraph(file);
  });
  afterAll(async () => {
    await graph?.stop();
    python?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ROWS = [[1, 2], [3, 4]];

  it('walks every component service of the Python microservice and answers what it computed', async () => {
    calls.length = 0;
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { tags: { branch: 1, client: 'test' } } });
    expect(status, JSON.stringify(body)).toBe(200);
    // ×10, row sums (30, 70), +1.
    expect(body.data.ndarray).toEqual([[31], [71]]);
    expect(body.meta.tags).toMatchObject({ client: 'test', 'served-by': 'python' });
    expect(body.meta.routing).toMatchObject({ route: 1 });
    await eventually('the microservice\'s lines', () => calls.length >= 4);
    expect(calls.map((c) => c.method)).toEqual(['TransformInput', 'Route', 'Predict', 'TransformOutput']);
    // What Python read: the request's rows, tags and puid, and the trace context as metadata.
    expect(calls[0]!.request.data.ndarray).toEqual(ROWS);
    expect(calls[1]!.request.meta.tags).toEqual({ branch: 1, client: 'test' });
    expect(calls[1]!.request.meta.puid).toBe(body.meta.puid);
    expect(calls[0]!.metadata.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    calls.length = 0;
    const both = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { tags: { branch: 0 } } });
    expect(both.status, JSON.stringify(both.body)).toBe(200);
    // Each model answers [[30], [70]] (100 in all); the combiner totals both; +1.
    expect(both.body.data.ndarray).toEqual([[101, 101]]);
    await eventually('the microservice\'s lines', () => calls.some((c) => c.method === 'Aggregate'));
    expect(calls.find((c) => c.method === 'Aggregate')!.request.seldonMessages.map((m: any) => m.data.ndarray)).toEqual([[[30], [70]], [[30], [70]]]);
  });

  it('sends feedback the microservice reads with the routing it answered, and asks it for its metadata', async () => {
    const prediction = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS }, meta: { tags: { branch: 1 } } });
    expect(prediction.status).toBe(200);
    calls.length = 0;
    const feedback = await graph.post('/api/v1.0/feedback', { request: { data: { ndarray: ROWS } }, response: prediction.body, reward: 0.5 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    await eventually('the SendFeedback line', () => calls.some((c) => c.method === 'SendFeedback'));
    expect(feedback.body.status.info).toBe('reward 0.5 applied to route arm 1; sent to sum');
    await eventually('both SendFeedback lines', () => calls.filter((c) => c.method === 'SendFeedback').length === 2);
    const sent = calls.find((c) => c.method === 'SendFeedback')!.request;
    expect(sent.reward).toBe(0.5);
    expect(sent.response.meta.routing.route).toBe(1);
    expect(sent.request.data.ndarray).toEqual(ROWS);

    const metadata = await graph.get('/api/v1.0/metadata/sum');
    expect(metadata.status, JSON.stringify(metadata.body)).toBe(200);
    expect(metadata.body).toMatchObject({ name: 'sum', platform: 'python', versions: ['1'], inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 2] }], outputs: [{ name: 'sum', datatype: 'FP64', shape: [-1, 1] }] });
  });
});
