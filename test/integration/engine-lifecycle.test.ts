/**
 * The local engine's function lifecycle with real processes: scale to zero and cold start again, recovery
 * after a crash, and a burst from zero that scales out and back to zero without losing a request.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { statusCommand } from '../../compiler/cli/commands/status.ts';

const fixture = (name: string) => path.resolve('test/fixtures/engine', name);

describe('scale to zero and cold start', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(fixture('crashy.yaml'), {
      overrides: { scaling: { scaleToZeroGracePeriodMs: 500, stableWindowMs: 6000 } },
      engine: { tickMs: 100 },
    });
  });
  afterAll(async () => graph?.stop());

  it('cold-starts on the first request, returns to zero after the grace period, and starts again', async () => {
    const first = await graph.post('/api/v1.0/predictions', { jsonData: { hello: 'world' } });
    expect(first.status).toBe(200);
    expect(first.body.jsonData).toEqual({ hello: 'world' });
    const echo = () => graph.engine.status().functions.find((f) => f.function === 'echo')!;
    expect(echo().coldStarts).toBe(1);
    // Drained and stopped, not only drained: the log line of the stop names the scale to zero.
    await eventually('every function back at zero replicas', () => graph.engine.status().functions.every((f) => f.ready + f.starting + f.draining === 0));
    const second = await graph.post('/api/v1.0/predictions', { strData: 'again' });
    expect(second.status).toBe(200);
    expect(second.body.strData).toBe('again');
    expect(echo().coldStarts).toBe(2);
    expect(graph.logs.some((line) => /echo: replica \d+ stopped \(scaled to zero\)/.test(line))).toBe(true);
  });
});

describe('a function that crashes', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(fixture('crashy.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('answers 5xx naming the function, and is started again for the next request', async () => {
    expect((await graph.post('/api/v1.0/predictions', { strData: 'warm up' })).status).toBe(200);
    const crash = await graph.post('/api/v1.0/predictions', { strData: 'crash' });
    expect(crash.status).toBeGreaterThanOrEqual(500);
    expect(crash.body.status.status).toBe('FAILURE');
    expect(crash.body.status.info).toMatch(/echo/);
    const next = await graph.post('/api/v1.0/predictions', { strData: 'still there?' });
    expect(next.status).toBe(200);
    expect(next.body.strData).toBe('still there?');
  });
});

describe('a burst from zero', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(fixture('burst.yaml'), {
      overrides: { scaling: { scaleToZeroGracePeriodMs: 1000, stableWindowMs: 6000 } },
      engine: { tickMs: 200 },
    });
  });
  afterAll(async () => graph?.stop());

  it('answers 200 concurrent predictions correctly, scales past one replica in panic mode, and returns to zero', async () => {
    let peak = 0;
    let panicSeen = false;
    const sampler = setInterval(() => {
      const doubler = graph.engine.status().functions.find((f) => f.function === 'doubler')!;
      peak = Math.max(peak, doubler.ready);
      panicSeen ||= doubler.panicking;
    }, 20);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => graph.post('/api/v1.0/predictions', { data: { ndarray: [[i, 1]] } })),
    );
    clearInterval(sampler);
    const wrong = responses.filter((r, i) => r.status !== 200 || r.body.data.ndarray[0][0] !== i * 2);
    expect(wrong.map((r) => r.status)).toEqual([]);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
    // The burst put the autoscaler in panic mode, which holds for a stable window: visible in status and metrics.
    expect(panicSeen).toBe(true);
    const metrics = (await graph.get('/metrics')).body as string;
    expect(metrics).toMatch(/^switchyard_function_panic_mode\{function="doubler"\} 1$/m);
    expect(metrics).toMatch(/^switchyard_function_desired_replicas\{function="doubler"\} ([2-8])$/m);
    // The 200 predictions only: the orchestrator's wake of the doubler (graph activation) starts it without a request.
    expect(metrics).toMatch(/^switchyard_request_duration_seconds_count\{function="doubler",code="200"\} 200$/m);
    expect(metrics).toMatch(/^switchyard_function_cold_starts_total\{function="doubler"\} 1$/m);

    const lines: string[] = [];
    const out = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    expect(await statusCommand({ host: '127.0.0.1', port: String(graph.engine.port) }, out)).toBe(0);
    const row = lines.join('\n').split('\n').find((line) => line.startsWith('doubler'))!;
    // function, desired, ready, starting, in-flight, queued, cold starts, panic, p50, p99
    expect(row.split(/\s{2,}/).slice(6, 8)).toEqual(['1', 'yes']);
    await eventually('every function back at zero replicas', () => graph.engine.status().functions.every((f) => f.ready + f.starting === 0), 20_000);
  });
});
