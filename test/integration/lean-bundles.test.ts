/**
 * What an idle function holds (bench/: memory): the seed graph's compiled bundles, started as Knative starts them
 * (no engine: the orchestrator calls the functions directly, traces go to an OTLP receiver), serve every kind of
 * request — Seldon JSON and packed tensors, V2, feedback, metrics, health — and export their spans without ever
 * loading undici, TLS or HTTP/2, nor ioredis for an orchestrator whose state is not in Redis, nor onnxruntime
 * outside the model functions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/graph-engine.ts';
import { compileGraph, SEED, SEED_REQUEST, type CompiledGraph } from './state-fixtures.ts';
import { SPAN_BATCH_CONTENT_TYPE } from '../../runtime/tracing/span-batch.ts';

const PRELOAD = path.resolve('test/fixtures/bundle/report-loaded-modules.ts');
/** Built-in modules an idle function has no use for (what the global fetch classes and ioredis load). */
const HEAVY = ['internal/deps/undici/undici', 'tls', 'http2', 'https'];
const IDLE_COMPACT_MS = 300;

interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
}

async function start(compiled: CompiledGraph, fn: string, env: Record<string, string>): Promise<Replica> {
  const bundle = path.join(compiled.outDir, compiled.plan.functions[fn]!.bundle);
  const child = spawn(process.execPath, ['--import', PRELOAD, bundle], {
    cwd: path.dirname(bundle),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SWITCHYARD_GRAPH: 'seed', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m.type === 'ready' && resolve(m.port!));
    child.once('exit', (code) => reject(new Error(`${fn} exited (${code}) before it was ready:\n${stderr}`)));
  });
  return { name: fn, child, url: `http://127.0.0.1:${port}` };
}

function loadedModules(replica: Replica): Promise<string[]> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; modules?: string[] }) => {
      if (m.type !== 'loaded-modules') return;
      replica.child.off('message', onMessage);
      resolve(m.modules!.map((name) => name.replace(/^NativeModule /, '')));
    };
    replica.child.on('message', onMessage);
    replica.child.send({ type: 'loaded-modules?' });
  });
}

async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; body: any }> {
  // node:http through the test's own fetch is fine: the check is on the replicas, not on this process.
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('function bundles stay lean', { timeout: 60_000 }, () => {
  let dir: string;
  let compiled: CompiledGraph;
  let receiver: Server;
  /** service.name of every resource that sent spans. */
  const exporters = new Set<string>();
  const replicas: Replica[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-lean-'));
    compiled = await compileGraph(SEED, path.join(dir, 'build'));
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        // The engine exporter's span batches (runtime/tracing/span-batch.ts): one service per batch.
        const sent = JSON.parse(body) as { service?: string; spans?: unknown[] };
        if (req.headers['content-type'] === SPAN_BATCH_CONTENT_TYPE && typeof sent.service === 'string' && (sent.spans?.length ?? 0) > 0) exporters.add(sent.service);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // Idle compaction soon after traffic, so the test below need not wait the default 2 s.
    const traces = { SWITCHYARD_TRACES_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`, SWITCHYARD_IDLE_COMPACT_MS: String(IDLE_COMPACT_MS) };
    for (const fn of ['features', 'good-model', 'weak-model']) replicas.push(await start(compiled, fn, traces));
    const endpoints = Object.fromEntries(replicas.map((r) => [r.name, r.url]));
    replicas.push(
      await start(compiled, 'orchestrator', {
        ...traces,
        SWITCHYARD_ENDPOINTS: JSON.stringify(endpoints),
        SWITCHYARD_STATE: JSON.stringify({ kind: 'file', path: path.join(dir, 'state.json') }),
      }),
    );
  });

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGTERM');
    await new Promise((resolve) => receiver?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves predictions, V2, feedback, metrics and health, exports spans, and loads none of undici, TLS, HTTP/2', async () => {
    const orchestrator = replicas.find((r) => r.name === 'orchestrator')!;
    for (let i = 0; i < 12; i++) {
      const answer = await post(`${orchestrator.url}/api/v1.0/predictions`, SEED_REQUEST);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const feedback = await post(`${orchestrator.url}/api/v1.0/feedback`, { request: SEED_REQUEST, response: answer.body, reward: 1 });
      expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    }
    const v2 = await post(`${orchestrator.url}/v2/models/seed/infer`, { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [6.3, 3.3, 6.0, 2.5] }] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const direct = await post(`${replicas[0]!.url}/transform-input`, SEED_REQUEST);
    expect(direct.status).toBe(200);
    // Each model served at least once whichever arm the bandit favoured, so every process has spans to export.
    for (const model of ['good-model', 'weak-model']) {
      const served = await post(`${replicas.find((r) => r.name === model)!.url}/predict`, { data: { ndarray: [[0.1, -0.2, 0.3, 0.4]] } });
      expect(served.status, JSON.stringify(served.body)).toBe(200);
    }
    const bad = await post(`${replicas[1]!.url}/predict`, { data: { ndarray: 'not an array' } });
    expect(bad.status).toBe(400);
    for (const r of replicas) {
      expect((await fetch(`${r.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${r.url}/health/status`)).status).toBe(200);
    }
    await eventually('spans exported by every process', () => replicas.every((r) => exporters.has(r.name))).catch((error: Error) => {
      throw new Error(`${error.message} (received from: ${[...exporters].join(', ') || 'none'})`);
    });

    for (const r of replicas) {
      const modules = await loadedModules(r);
      expect(modules.filter((m) => HEAVY.includes(m)), r.name).toEqual([]);
    }
  });

  it('gives back the heap a burst of requests grew once it has been idle a moment (GETs do not count as traffic)', async () => {
    const features = replicas.find((r) => r.name === 'features')!;
    const heapTotal = async () => {
      const text = await (await fetch(`${features.url}/metrics`)).text();
      return Number(/^nodejs_heap_size_total_bytes (\S+)$/m.exec(text)?.[1]);
    };
    for (let i = 0; i < 150; i++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(`${features.url}/transform-input`, SEED_REQUEST)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
    const grown = await heapTotal();
    // Scraped every 100 ms while it waits: were GETs traffic, it would never be idle for 300 ms.
    for (let waited = 0; waited < IDLE_COMPACT_MS * 2 + 500; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await heapTotal();
    }
    const compacted = await heapTotal();
    expect(grown).toBeGreaterThan(0);
    expect(compacted).toBeLessThan(grown);
  });

  it.skipIf(process.platform !== 'linux')('maps onnxruntime in the model functions only', () => {
    const mapsOnnxruntime = (r: Replica) => readFileSync(`/proc/${r.child.pid}/maps`, 'utf8').includes('libonnxruntime');
    expect(Object.fromEntries(replicas.map((r) => [r.name, mapsOnnxruntime(r)]))).toEqual({ features: false, 'good-model': true, 'weak-model': true, orchestrator: false });
  });
});
