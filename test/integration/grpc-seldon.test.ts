/**
 * Seldon Core's external gRPC API (`seldon.protos.Seldon`) on the local engine, for clients that call a
 * SeldonDeployment over gRPC: Predict through the whole seed graph (real processes and onnxruntime), and
 * SendFeedback reaching the bandit, with grpc-js and with Python's grpcio (stubs compiled from Seldon's own
 * prediction.proto at test time; skipped, with the reason, when /usr/bin/python3 lacks grpcio or grpc_tools).
 */
import * as grpc from '@grpc/grpc-js';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeldonService, SELDON_PROTO_DIR, SELDON_PROTO_FILES } from '../../runtime/grpc/load-proto.ts';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { PYTHON, pythonGrpcMissing } from '../helpers/python-grpc.ts';
import { codeName, inferenceClient, type GrpcResult, type InferenceClient } from '../helpers/grpc-client.ts';

const SEED = path.resolve('examples/seed/graph.yaml');
const PY_CLIENT = path.resolve(import.meta.dirname, '../fixtures/grpc/seldon_grpc_client.py');
const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]];

/** A google.protobuf.ListValue of rows, as a grpc-js client builds `data.ndarray`. */
const listValue = (rows: number[][]) => ({ values: rows.map((row) => ({ listValue: { values: row.map((numberValue) => ({ numberValue })) } })) });
/** A google.protobuf.Value back to JSON (what the test reads from replies). */
const json = (value: any): unknown => {
  switch (value?.kind) {
    case 'listValue':
      return (value.listValue.values as unknown[]).map(json);
    case 'structValue':
      return Object.fromEntries(Object.entries(value.structValue.fields as Record<string, unknown>).map(([k, v]) => [k, json(v)]));
    default:
      return value?.kind === undefined || value.kind === 'nullValue' ? null : value[value.kind];
  }
};

describe('seldon.protos.Seldon over gRPC on the local engine', () => {
  let graph: RunningGraph;
  let client: InferenceClient;
  beforeAll(async () => {
    graph = await startGraph(SEED, { engine: { grpcPort: 0 } });
    client = inferenceClient(graph.engine.grpcAddress!, loadSeldonService());
  });
  afterAll(async () => {
    client?.close();
    await graph?.stop();
  });

  const call = (method: string, request: unknown) => client.call(method, request);
  const ok = (result: GrpcResult) => {
    if (!result.ok) throw new Error(`expected OK, received ${codeName(result.code)}: ${result.details}`);
    return result.value;
  };
  /** What the model the bandit chose answers to the rows the transformer makes of ROWS, asked directly. */
  const direct = async (model: string, rows: number[][]) => {
    const features = (await graph.post('/_fn/features/transform-input', { data: { ndarray: rows } })).body;
    return (await graph.post(`/_fn/${model}/predict`, features)).body.data.ndarray as number[][];
  };

  it('Predict walks the graph and answers what the chosen model answers, with Seldon\'s meta', async () => {
    const reply = ok(await call('Predict', { data: { names: ['a', 'b', 'c', 'd'], ndarray: listValue(ROWS) }, meta: { puid: 'grpc-1', tags: { client: { stringValue: 'grpc-js' } } } }));
    expect(reply.data_oneof).toBe('data');
    expect(reply.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(reply.meta.puid).toBe('grpc-1');
    expect(json(reply.meta.tags.client)).toBe('grpc-js');
    const chosen = reply.meta.routing.bandit as number;
    const model = ['weak-model', 'good-model'][chosen]!;
    expect(reply.meta.requestPath).toEqual({ features: 'features', bandit: 'orchestrator', [model]: model });
    const answer = json({ kind: 'listValue', listValue: reply.data.ndarray }) as number[][];
    const want = await direct(model, ROWS);
    answer.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(want[r]![k]!, 6)));
  });

  it('Predict takes data.tensor and answers a tensor', async () => {
    const reply = ok(await call('Predict', { data: { tensor: { shape: [1, 4], values: ROWS[1] } } }));
    expect(reply.data.data_oneof).toBe('tensor');
    expect(reply.data.tensor.shape).toEqual([1, 3]);
    expect((reply.data.tensor.values as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('SendFeedback with the response reaches the bandit arm that served it', async () => {
    const reward = async (arm: number) => (await graph.get('/api/v1.0/routers')).body.routers[0].arms[arm].rewardSum as number;
    const response = ok(await call('Predict', { data: { ndarray: listValue([ROWS[0]!]) } }));
    const arm = response.meta.routing.bandit as number;
    const before = await reward(arm);
    const reply = ok(await call('SendFeedback', { response, reward: 1 }));
    expect(reply.status).toMatchObject({ code: 200, status: 'SUCCESS', info: `reward 1 applied to bandit arm ${arm}` });
    expect(await reward(arm)).toBe(before + 1);
    // The same feedback again is a duplicate, as over REST: the reward is applied once per puid.
    const again = ok(await call('SendFeedback', { response, reward: 1 }));
    expect(json(again.meta.tags.duplicate)).toBe(true);
    expect(await reward(arm)).toBe(before + 1);
  });

  it('refuses what it cannot carry with INVALID_ARGUMENT naming the field, and keeps serving', async () => {
    const custom = await call('Predict', { customData: { type_url: 'type.googleapis.com/x', value: Buffer.from('a') } });
    expect(custom).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect((custom as { details: string }).details).toMatch(/^customData: a google\.protobuf\.Any has no JSON form here/);
    const tf = await call('Predict', { data: { tftensor: { dtype: 'DT_FLOAT' } } });
    expect(tf).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect((tf as { details: string }).details).toMatch(/^data\.tftensor: TensorFlow tensors are not accepted/);
    const badFeedback = await call('SendFeedback', { reward: 1, request: { customData: { type_url: 'type.googleapis.com/x' } } });
    expect(badFeedback).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT });
    expect((badFeedback as { details: string }).details).toMatch(/^request\.customData:/);
    const raw = new grpc.Client(graph.engine.grpcAddress!, grpc.credentials.createInsecure());
    const garbage = await new Promise<GrpcResult>((resolve) =>
      raw.makeUnaryRequest('/seldon.protos.Seldon/Predict', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0x01, 0x41, 0xff, 0xff]), (error, value) =>
        resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true, value }),
      ),
    );
    raw.close();
    expect(garbage).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^the request is not a valid SeldonMessage protobuf message/) });
    const unknown = await call('ModelMetadata', { name: 'nope' });
    expect(unknown).toMatchObject({ ok: false, code: grpc.status.NOT_FOUND, details: 'no node "nope" in graph "seed"; its nodes are features, bandit, weak-model, good-model' });
    expect(ok(await call('Predict', { data: { ndarray: listValue([ROWS[0]!]) } })).data.names).toHaveLength(3);
  });

  it('ModelMetadata answers a node\'s own metadata, as Seldon\'s GET /api/v1.0/metadata/<node> does over REST', async () => {
    const model = ok(await call('ModelMetadata', { name: 'good-model' }));
    expect(model).toMatchObject({
      name: 'good-model',
      platform: 'onnxruntime',
      inputs: [{ name: 'features', datatype: 'FP32', shape: ['-1', '4'] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: ['-1', '3'] }],
    });
    expect(JSON.parse(model.custom.classNames)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(ok(await call('ModelMetadata', { name: 'bandit' }))).toMatchObject({ name: 'bandit', platform: 'switchyard-router', inputs: [], outputs: [] });
    const rest = await graph.get('/api/v1.0/metadata/good-model');
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ name: 'good-model', platform: 'onnxruntime', inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }] });
    expect((await graph.get(`/seldon/${graph.plan.namespace}/seed/api/v1.0/metadata/good-model`)).body.name).toBe('good-model');
    expect((await graph.get('/api/v1.0/metadata/nope')).status).toBe(404);
  });

  it('GraphMetadata answers every node\'s metadata and the graph\'s input and output tensors', async () => {
    const graphMetadata = ok(await call('GraphMetadata', {}));
    expect(graphMetadata.name).toBe('seed');
    expect(Object.keys(graphMetadata.models).sort()).toEqual(['bandit', 'features', 'good-model', 'weak-model']);
    expect(graphMetadata.models['weak-model']).toMatchObject({ name: 'weak-model', platform: 'onnxruntime' });
    expect(graphMetadata.inputs).toEqual([expect.objectContaining({ name: 'features', datatype: 'FP32', shape: ['-1', '4'] })]);
    expect(graphMetadata.outputs).toEqual([expect.objectContaining({ name: 'probabilities', datatype: 'FP32', shape: ['-1', '3'] })]);
  });
});

const missing = pythonGrpcMissing();

describe.skipIf(missing !== undefined)(`a Python grpcio client of seldon.protos.Seldon${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  let stubs: string;
  let lines: Map<string, { ok: boolean; code?: string; details?: string; reply?: any }>;
  beforeAll(async () => {
    stubs = await mkdtemp(path.join(os.tmpdir(), 'switchyard-pyseldon-'));
    execFileSync(PYTHON, ['-m', 'grpc_tools.protoc', '-I', SELDON_PROTO_DIR, `--python_out=${stubs}`, `--grpc_python_out=${stubs}`, ...SELDON_PROTO_FILES]);
    graph = await startGraph(SEED, { engine: { grpcPort: 0 } });
    const { stdout } = await promisify(execFile)(PYTHON, [PY_CLIENT, stubs, graph.engine.grpcAddress!], { timeout: 60_000 });
    lines = new Map(stdout.trim().split('\n').map((l) => JSON.parse(l)).map((l) => [l.call, l]));
  });
  afterAll(async () => {
    await graph?.stop();
    if (stubs) await rm(stubs, { recursive: true, force: true });
  });
  const line = (call: string) => {
    const found = lines.get(call);
    if (found === undefined) throw new Error(`the Python client printed nothing for ${call}`);
    return found;
  };

  it('Predict answers class probabilities per row, with routing, requestPath and the client\'s tags', () => {
    const { reply } = line('Predict ndarray');
    expect(reply.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(reply.data.ndarray).toHaveLength(2);
    for (const row of reply.data.ndarray as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(reply.meta.tags.client).toBe('python');
    expect([0, 1]).toContain(reply.meta.routing.bandit);
    expect(Object.keys(reply.meta.requestPath)).toContain('features');
    expect(line('Predict tensor').reply.data.tensor.shape).toEqual([1, 3]);
  });

  it('SendFeedback with the Predict response is applied to the arm that served it', () => {
    const ndarray = line('Predict ndarray').reply;
    expect(line('SendFeedback').reply.status).toMatchObject({ code: 200, info: `reward 1 applied to bandit arm ${ndarray.meta.routing.bandit}` });
  });

  it('errors carry gRPC status codes and say what is wrong', () => {
    expect(line('Predict strData')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(line('Predict strData').details).toMatch(/expected rows of 4 numbers/);
    expect(line('Predict tftensor')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', details: expect.stringMatching(/^data\.tftensor:/) });
  });

  it('GraphMetadata answers each node\'s metadata and the graph\'s tensors', () => {
    const { reply } = line('GraphMetadata');
    expect(reply.name).toBe('seed');
    expect(Object.keys(reply.models).sort()).toEqual(['bandit', 'features', 'good-model', 'weak-model']);
    expect(reply.inputs).toEqual([expect.objectContaining({ name: 'features', datatype: 'FP32', shape: ['-1', '4'] })]);
  });
});
