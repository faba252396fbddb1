/**
 * Remote nodes over gRPC (`protocol: grpc-v2`): a graph calls `inference.GRPCInferenceService/ModelInfer` on
 * servers that run elsewhere. The servers are real: another local engine serving the iris model over gRPC, and a
 * grpc-js server here that reads `raw_input_contents` and answers as Triton does (outputs in
 * `raw_output_contents`), records what it is sent, and fails on purpose for some models. The graph in front of them is compiled and run by the real engine, so its
 * orchestrator is the bundle the compiler builds (with the gRPC client in it).
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInferenceService } from '../../runtime/grpc/load-proto.ts';
import { decodeRawTensor, encodeRawTensor } from '../../runtime/protocol/v2-raw.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { switchGraphYaml } from '../helpers/switch-graph.ts';

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];

interface Received {
  request: any;
  metadata: Record<string, unknown>;
}

describe('remote nodes over gRPC (grpc-v2)', () => {
  let server: RunningGraph;
  let graph: RunningGraph;
  let dir: string;
  let triton: grpc.Server;
  const received: Received[] = [];

  beforeAll(async () => {
    server = await startGraph(path.resolve('test/fixtures/engine/iris-server.yaml'), { engine: { grpcPort: 0 } });
    // A Triton-like server: `summer` answers each row's sum in raw_output_contents, `upper` echoes BYTES upper-cased
    // in typed contents, `slow` answers after 2 s, `broken` sends fewer bytes than its shape needs; any other model
    // is NOT_FOUND.
    triton = new grpc.Server();
    triton.addService(loadInferenceService().service, {
      ModelInfer(call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) {
        received.push({ request: call.request, metadata: call.metadata.getMap() });
        const input = call.request.inputs[0];
        const shape = input.shape.map(Number);
        switch (call.request.model_name) {
          case 'summer': {
            const values = Array.from(decodeRawTensor(call.request.raw_input_contents[0], 'FP32', shape, 'input') as Float32Array);
            const sums = Array.from({ length: shape[0] }, (_, r) => values.slice(r * shape[1], (r + 1) * shape[1]).reduce((a, b) => a + b, 0));
            return callback(null, { model_name: 'summer', id: call.request.id, outputs: [{ name: 'OUTPUT0', datatype: 'FP32', shape: [shape[0], 1] }], raw_output_contents: [Buffer.from(encodeRawTensor(sums, 'FP32'))] });
          }
          case 'upper':
            return callback(null, { model_name: 'upper', outputs: [{ name: 'TEXT', datatype: 'BYTES', shape, contents: { bytes_contents: (decodeRawTensor(call.request.raw_input_contents[0], 'BYTES', shape, 'input') as string[]).map((s) => Buffer.from(s.toUpperCase())) } }] });
          case 'slow':
            return void setTimeout(() => callback(null, { model_name: 'slow', outputs: [] }), 2000);
          case 'broken':
            return callback(null, { model_name: 'broken', outputs: [{ name: 'OUTPUT0', datatype: 'FP32', shape: [2, 1] }], raw_output_contents: [Buffer.alloc(4)] });
          default:
            return callback({ code: grpc.status.NOT_FOUND, details: `model "${call.request.model_name}" is not loaded` });
        }
      },
    });
    const port = await new Promise<number>((resolve, reject) => triton.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-remote-grpc-'));
    const file = path.join(dir, 'graph.yaml');
    const tritonUrl = `http://127.0.0.1:${port}`;
    await writeFile(
      file,
      switchGraphYaml('front', 'server', [['triton', 'summer'], ['upper', 'upper'], ['slow', 'slow'], ['broken', 'broken'], ['missing', 'missing'], ['gone', 'gone']], 'iris', `    iris:
      type: MODEL
      remote: { url: "http://${server.engine.grpcAddress}", protocol: grpc-v2, model: iris }
    summer:
      type: MODEL
      remote: { url: "${tritonUrl}", protocol: grpc-v2, model: summer, inputName: INPUT0, outputName: OUTPUT0 }
    upper:
      type: MODEL
      remote: { url: "${tritonUrl}/", protocol: grpc-v2 }
    slow:
      type: MODEL
      timeout: 300ms
      remote: { url: "${tritonUrl}", protocol: grpc-v2 }
    broken:
      type: MODEL
      remote: { url: "${tritonUrl}", protocol: grpc-v2 }
    missing:
      type: MODEL
      remote: { url: "${tritonUrl}", protocol: grpc-v2, model: nobody }
    gone:
      type: MODEL
      remote: { url: "http://127.0.0.1:1", protocol: grpc-v2 }
`),
    );
    graph = await startGraph(file);
  });
  afterAll(async () => {
    await graph?.stop();
    await server?.stop();
    triton?.forceShutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const predict = (server: string, data: unknown = { ndarray: ROWS }, headers: Record<string, string> = {}) =>
    graph.post('/api/v1.0/predictions', { data, meta: { tags: { server } } }, headers);

  it('calls another engine over gRPC and answers what its model answers', async () => {
    const { status, body } = await predict('iris');
    expect(status, JSON.stringify(body)).toBe(200);
    const direct = await server.post('/_fn/good-model/predict', { data: { ndarray: ROWS } });
    const want = direct.body.data.ndarray as number[][];
    (body.data.ndarray as number[][]).forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(want[r]![k]!, 5)));
    expect(body.meta.requestPath).toEqual({ pick: 'orchestrator', iris: 'iris' });
  });

  it('traces each gRPC call as the node\'s client span, and the other engine continues the trace', async () => {
    const { status, headers } = await predict('iris');
    expect(status).toBe(200);
    const traceId = headers.get('traceparent')!.split('-')[1]!;
    await eventually('this graph\'s span of the gRPC call', async () => {
      const answer = await graph.get(`/_switchyard/traces/${traceId}`);
      const spans = (answer.status === 200 ? answer.body.spans : []) as Array<{ name: string; attributes: Record<string, unknown> }>;
      return spans.some((span) => span.name === 'call iris /predict' && span.attributes['http.response.status_code'] === 200);
    });
    await eventually('the serving engine\'s spans of the same trace', async () => {
      const answer = await server.get(`/_switchyard/traces/${traceId}`);
      return answer.status === 200 && (answer.body.spans as Array<{ attributes: Record<string, unknown> }>).some((span) => span.attributes['switchyard.graph'] === 'iris');
    });
  });

  it('sends the ModelInfer request the node describes, with the trace context and without the client\'s credentials, and reads raw outputs', async () => {
    received.length = 0;
    const { status, body } = await predict('triton', { tensor: { shape: [2, 4], values: ROWS.flat() } }, { authorization: 'Bearer client-secret', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.tensor.shape).toEqual([2, 1]);
    body.data.tensor.values.forEach((v: number, r: number) => expect(v).toBeCloseTo(ROWS[r]!.reduce((a, b) => a + b, 0), 4));
    const [call] = received;
    expect(call!.request.model_name).toBe('summer');
    expect(call!.request.id).toBe(body.meta.puid);
    expect(call!.request.inputs[0]).toMatchObject({ name: 'INPUT0', datatype: 'FP32', shape: ['2', '4'] });
    // The tensor goes as raw little-endian bytes, the form Triton prefers.
    Array.from(decodeRawTensor(call!.request.raw_input_contents[0], 'FP32', [2, 4], 'input') as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(ROWS.flat()[i]!, 5));
    expect(call!.request.outputs).toEqual([expect.objectContaining({ name: 'OUTPUT0' })]);
    expect(String(call!.metadata.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(call!.metadata.authorization).toBeUndefined();
  });

  it('sends strings as BYTES and reads typed BYTES back as an ndarray', async () => {
    const { status, body } = await predict('upper', { ndarray: [['a', 'héllo'], ['b', 'c']] });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data.ndarray).toEqual([['A', 'HÉLLO'], ['B', 'C']]);
  });

  it('asks a gRPC server for its model\'s metadata with ModelMetadata, and names the node whose server cannot say', async () => {
    const own = await graph.get('/api/v1.0/metadata/iris');
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const served = (await server.get('/v2/models/iris')).body;
    expect(own.body).toMatchObject({ name: 'iris', inputs: served.inputs, outputs: served.outputs });
    // The Triton-like server here implements ModelInfer only.
    const none = await graph.get('/api/v1.0/metadata/summer');
    expect(none.status).toBe(503);
    expect(JSON.stringify(none.body)).toMatch(/the metadata of node \\"summer\\".*could not be read: UNIMPLEMENTED/);
  });

  it('maps gRPC failures to clear errors that name the node, and keeps serving', async () => {
    const slow = await predict('slow');
    expect(slow.status).toBe(504);
    expect(JSON.stringify(slow.body)).toMatch(/node \\?"slow\\?".*did not answer ModelInfer within 300 ms/);

    const missing = await predict('missing');
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).toMatch(/NOT_FOUND: model \\?"nobody\\?" is not loaded/);

    const gone = await predict('gone');
    expect(gone.status).toBe(503);
    expect(JSON.stringify(gone.body)).toMatch(/node \\?"gone\\?".*unavailable \(UNAVAILABLE/);

    const broken = await predict('broken');
    expect(broken.status).toBe(502);
    expect(JSON.stringify(broken.body)).toMatch(/raw_output_contents\[0\]: expected 8 bytes/);

    const bad = await graph.post('/api/v1.0/predictions', { jsonData: { a: 1 }, meta: { tags: { server: 'triton' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/jsonData: an Open Inference Protocol server takes tensors/);

    expect((await predict('iris')).status).toBe(200);
  });
});
