/**
 * The local engine's internal transport, end to end with real function processes: by default the gateway
 * calls replicas, and the orchestrator calls the gateway, over frames on Unix sockets in a private folder;
 * with `internalTransport: 'http'` every hop is HTTP. Both answer the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const SEED = path.resolve(import.meta.dirname, '../../examples/seed/graph.yaml');
const REQUEST = { data: { names: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'], ndarray: [[5.1, 3.5, 1.4, 0.2]] } };

let running: RunningGraph | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function socketFolder(graph: RunningGraph): string | undefined {
  for (const fn of graph.engine.status().functions) {
    const socket = fn.replicas.find((r) => r.socket !== undefined)?.socket;
    if (socket !== undefined) return path.dirname(socket);
  }
  return undefined;
}

describe('internal transport', () => {
  it('runs every internal hop over frames by default, in a folder only this user can enter, removed at stop', async () => {
    running = await startGraph(SEED);
    const answer = await running.post('/api/v1.0/predictions', REQUEST);
    expect(answer.status).toBe(200);
    expect(answer.body.data.ndarray[0]).toHaveLength(3);
    expect(Object.keys(answer.body.meta.requestPath)).toEqual(expect.arrayContaining(['features', 'bandit']));

    const status = running.engine.status();
    expect(status.internalTransport.kind).toBe('frames');
    // The orchestrator's node calls (features, then the chosen model) reached the gateway over its socket.
    expect(status.internalTransport.framedCalls).toBeGreaterThanOrEqual(2);
    for (const fn of status.functions) {
      for (const replica of fn.replicas.filter((r) => r.state === 'ready')) expect(replica.socket, `${fn.function} replica ${replica.id}`).toMatch(/\.sock$/);
    }
    // Replicas start with glibc's trim threshold fixed (idle memory), unless the environment already sets one.
    const pid = status.functions.find((f) => f.function === 'orchestrator')!.replicas[0]!.pid!;
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`MALLOC_TRIM_THRESHOLD_=${process.env.MALLOC_TRIM_THRESHOLD_ ?? '131072'}`);
    const folder = socketFolder(running)!;
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(folder)).toContain('gateway.sock');

    await running.stop();
    running = undefined;
    expect(fs.existsSync(folder)).toBe(false);
  });

  it("keeps every hop on HTTP with internalTransport 'http', and answers the same prediction", async () => {
    const framed = await startGraph(SEED);
    const viaFrames = await framed.post('/api/v1.0/predictions', REQUEST);
    await framed.stop();

    running = await startGraph(SEED, { engine: { internalTransport: 'http' } });
    const viaHttp = await running.post('/api/v1.0/predictions', REQUEST);
    expect(viaHttp.status).toBe(200);
    expect(running.engine.status().internalTransport).toEqual({ kind: 'http', framedCalls: 0 });
    expect(socketFolder(running)).toBeUndefined();
    // The bandit may pick either model; each model's answer is deterministic.
    if (Object.keys(viaHttp.body.meta.requestPath).join() === Object.keys(viaFrames.body.meta.requestPath).join()) {
      expect(viaHttp.body.data).toEqual(viaFrames.body.data);
    }
    expect(viaHttp.body.data.names).toEqual(viaFrames.body.data.names);
  });

  it("serves a graph's POST routes without Hono, and an unusual target the long way, with the same answers", async () => {
    running = await startGraph(SEED);
    // Plain targets take the gateway's fast path; a dot segment or a percent-escape goes through Hono.
    const targets = ['/api/v1.0/predictions', '/api/v1.0/./predictions', '/api/v1.0/predictions?note=%20', '/seldon/default/seed/api/v1.0/predictions'];
    for (const target of targets) {
      const answer = await running.post(target, REQUEST);
      expect(answer.status, target).toBe(200);
      expect(answer.headers.get('content-length'), target).toBe(String(Buffer.byteLength(JSON.stringify(answer.body))));
      expect(answer.body.data.names, target).toEqual(['setosa', 'versicolor', 'virginica']);
    }
    const v2 = await running.post('/v2/models/seed/infer', { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP64', data: [5.1, 3.5, 1.4, 0.2] }] });
    expect(v2.status).toBe(200);
    const unknown = await running.post('/_fn/nope/predict', REQUEST);
    expect(unknown.status).toBe(404);
    expect(unknown.body.status.info).toMatch(/has no function "nope"/);
  });

  it('keeps the hops on HTTP, and says why, when the temporary folder is too deep for socket paths', async () => {
    const deep = path.join(os.tmpdir(), 'd'.repeat(90));
    fs.mkdirSync(deep, { recursive: true });
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = deep;
    try {
      running = await startGraph(SEED);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(running.engine.status().internalTransport.kind).toBe('http');
    expect(running.logs.join('\n')).toMatch(/internal calls over HTTP: the temporary folder .* is too deep for Unix socket paths/);
    expect((await running.post('/api/v1.0/predictions', REQUEST)).status).toBe(200);
    await running.stop();
    running = undefined;
    expect(fs.readdirSync(deep).filter((name) => name.startsWith('switchyard-') && !name.startsWith('switchyard-test-'))).toEqual([]);
    fs.rmSync(deep, { recursive: true, force: true });
  });

  it('answers a client with a function error from deep in the graph the same way over frames', async () => {
    running = await startGraph(SEED);
    const bad = await running.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(bad.status).toBe(400);
    expect(bad.body.status.status).toBe('FAILURE');
    expect(bad.body.status.info).toMatch(/features/);
  });
});
