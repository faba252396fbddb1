/**
 * The gRPC front end that Knative runs as `<graph>-grpc`: the compiled functions/grpc/index.mjs bundle, copied
 * alone into an empty directory (no .proto next to it) where only the runtime image's packages resolve (linked
 * as the compiler links them; the image installs the same versions), and run as a real process, forwarding to a running local
 * engine's REST front door as its SWITCHYARD_ORCHESTRATOR_URL. A grpc-js client gets real predictions from it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { linkRuntimePackages } from '../../compiler/bundle/index.ts';
import { loadSeldonService } from '../../runtime/grpc/load-proto.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { codeName, inferenceClient, type GrpcResult, type InferenceClient } from '../helpers/grpc-client.ts';

const SEED = path.resolve('examples/seed/graph.yaml');

interface Gateway {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** Runs the bundle with `env`; resolves once it reports its port over IPC, rejects if it exits first. */
function startGateway(bundle: string, env: Record<string, string>): Promise<Gateway> {
  const child = fork(bundle, [], { cwd: path.dirname(bundle), env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'listening' && typeof message.port === 'number') resolve({ child, port: message.port, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`the gRPC front end exited with ${code} before listening:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ok = (result: GrpcResult) => {
  if (!result.ok) throw new Error(`expected OK, received ${codeName(result.code)}: ${result.details}`);
  return result.value;
};

describe('the <graph>-grpc front end bundle, run as a process in front of a running orchestrator', () => {
  let graph: RunningGraph;
  let dir: string;
  let bundle: string;
  let gateway: Gateway;
  let client: InferenceClient;
  let v2: { inputs: Array<{ name: string; shape: number[]; data: number[] }> };

  beforeAll(async () => {
    v2 = JSON.parse(await readFile('examples/seed/requests/v2.json', 'utf8'));
    graph = await startGraph(SEED);
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-grpc-'));
    bundle = path.join(dir, 'index.mjs');
    await copyFile(path.join(graph.dir, 'build', 'functions', 'grpc', 'index.mjs'), bundle);
    await linkRuntimePackages(dir);
    // Its spans go to the engine's trace receiver, as a function's do under `switchyard up`.
    gateway = await startGateway(bundle, { SWITCHYARD_ORCHESTRATOR_URL: graph.url, SWITCHYARD_TRACES_ENDPOINT: `${graph.url}/v1/traces`, SWITCHYARD_TRACE_SAMPLING: '1' });
    client = inferenceClient(`127.0.0.1:${gateway.port}`);
  });
  afterAll(async () => {
    client?.close();
    gateway?.child.kill('SIGKILL');
    await graph?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is compiled beside the functions but is not one: the local engine does not start it', () => {
    expect(Object.keys(graph.plan.functions)).not.toContain('grpc');
    expect(graph.plan.grpc).toEqual({ enabled: true });
  });

  it('answers ServerLive, ServerReady and ModelMetadata from the orchestrator', async () => {
    expect(ok(await client.call('ServerLive', {}))).toEqual({ live: true });
    expect(ok(await client.call('ServerReady', {}))).toEqual({ ready: true });
    expect(ok(await client.call('ModelMetadata', { name: 'seed' })).name).toBe('seed');
  });

  it('returns a real prediction for ModelInfer', async () => {
    const input = v2.inputs[0]!;
    const reply = ok(
      await client.call('ModelInfer', {
        model_name: 'seed',
        id: 'grpc-1',
        inputs: [{ name: input.name, datatype: 'FP32', shape: input.shape.map(String), contents: { fp32_contents: input.data } }],
      }),
    );
    expect(reply.model_name).toBe('seed');
    expect(reply.id).toBe('grpc-1');
    expect(reply.outputs).toHaveLength(1);
    expect(reply.outputs[0].datatype).toBe('FP32');
    expect(reply.outputs[0].shape).toEqual(['1', '3']);
    const probabilities = reply.outputs[0].contents.fp32_contents as number[];
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('serves seldon.protos.Seldon too: Predict, and SendFeedback to the bandit', async () => {
    const { Client } = loadSeldonService();
    const seldon = new Client(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Function>;
    const call = (method: string, request: unknown) =>
      new Promise<any>((resolve, reject) => seldon[method]!.call(seldon, request, (error: grpc.ServiceError | null, value: unknown) => (error ? reject(error) : resolve(value))));
    try {
      const row = { listValue: { values: [6.3, 3.3, 6.0, 2.5].map((numberValue) => ({ numberValue })) } };
      const response = await call('Predict', { data: { ndarray: { values: [row] } } });
      expect(response.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
      const arm = response.meta.routing.bandit as number;
      const feedback = await call('SendFeedback', { response, reward: 1 });
      expect(feedback.status).toMatchObject({ code: 200, info: `reward 1 applied to bandit arm ${arm}` });
    } finally {
      seldon.close();
    }
  });

  it('gives ModelInfer a server span in the caller\'s trace, parent of the orchestrator\'s span', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const input = v2.inputs[0]!;
    const request = { model_name: 'seed', inputs: [{ name: input.name, datatype: 'FP32', shape: input.shape.map(String), contents: { fp32_contents: input.data } }] };
    ok(await client.call('ModelInfer', request, { traceparent: `00-${traceId}-${callerSpan}-01` }));
    let spans: Array<{ name: string; service: string; spanId: string; parentSpanId?: string }> = [];
    await eventually(`trace ${traceId} with the gRPC front end's span`, async () => {
      const answer = await graph.get(`/_switchyard/traces/${traceId}`);
      spans = answer.status === 200 ? answer.body.spans : [];
      return spans.some((s) => s.service === 'grpc') && spans.some((s) => s.service === 'orchestrator' && s.parentSpanId !== undefined && s.name.startsWith('POST'));
    });
    const front = spans.find((s) => s.service === 'grpc')!;
    expect(front.name).toBe('grpc inference.GRPCInferenceService/ModelInfer');
    expect(front.parentSpanId).toBe(callerSpan);
    const orchestrator = spans.find((s) => s.service === 'orchestrator' && s.name.startsWith('POST'))!;
    expect(orchestrator.parentSpanId).toBe(front.spanId);
  });

  it('passes the orchestrator errors on with their gRPC codes', async () => {
    const unknown = await client.call('ModelInfer', { model_name: 'nope', inputs: [{ name: 'x', datatype: 'FP32', shape: ['1'], contents: { fp32_contents: [1] } }] });
    expect(unknown.ok ? 'OK' : codeName(unknown.code)).toBe('NOT_FOUND');
  });

  it('answers UNAVAILABLE, naming the orchestrator URL, when the orchestrator cannot be reached', async () => {
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const lost = await startGateway(bundle, { SWITCHYARD_ORCHESTRATOR_URL: nowhere });
    const lostClient = inferenceClient(`127.0.0.1:${lost.port}`);
    try {
      const result = await lostClient.call('ModelInfer', { model_name: 'seed', inputs: [{ name: 'x', datatype: 'FP32', shape: ['1'], contents: { fp32_contents: [1] } }] });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(codeName(result.code)).toBe('UNAVAILABLE');
        expect(result.details).toContain(nowhere);
      }
      // It still serves the next call once the orchestrator is back is the orchestrator's business; it did not crash.
      expect(lost.child.exitCode).toBeNull();
    } finally {
      lostClient.close();
      lost.child.kill('SIGTERM');
      expect(await exited(lost.child)).toBe(0);
    }
  });

  it('refuses to start without SWITCHYARD_ORCHESTRATOR_URL, naming it', async () => {
    await expect(startGateway(bundle, {})).rejects.toThrow(/SWITCHYARD_ORCHESTRATOR_URL is required/);
  });
});
