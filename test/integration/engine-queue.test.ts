/**
 * The gateway's bounded queue with real processes: beyond containerConcurrency requests wait; a full queue
 * answers 503 with Retry-After, a request that waited too long answers 504 naming the node; every request
 * gets an answer.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { statusCommand } from '../../compiler/cli/commands/status.ts';
import { FrameClient } from '../../runtime/frames/client.ts';
import type { EngineStatus } from '../../runtime/engine/local/status.ts';

const QUEUE_TIMEOUT_MS = 2000;
/** Outlasts the queue timeout of the requests behind it. */
const HOLD_MS = QUEUE_TIMEOUT_MS + 1500;

describe('a full queue and a long wait (one replica, containerConcurrency 1, maxQueue 2)', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/queue.yaml'), {
      engine: { maxQueue: 2, queueTimeoutMs: QUEUE_TIMEOUT_MS },
    });
  });
  afterAll(async () => graph?.stop());

  const predict = (ms: number) => graph.post('/api/v1.0/predictions', { data: { ndarray: [[ms]] } });
  const fn = (name: string) => graph.engine.status().functions.find((f) => f.function === name)!;

  it('cold: requests beyond the queue while the graph starts get 503 with Retry-After at once', async () => {
    const responses = await Promise.all([predict(0), predict(0), predict(0), predict(0)]);
    const rejected = responses.filter((r) => r.status === 503);
    expect(rejected).toHaveLength(2);
    for (const r of rejected) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body.status).toMatchObject({ code: 503, reason: 'queue_full', status: 'FAILURE' });
      expect(r.body.status.info).toMatch(/function "orchestrator" is at capacity: 2 requests are already waiting \(queue limit 2\)/);
    }
    // The two that were queued are answered too: served once the functions are up (or timed out, on a very slow machine).
    const others = responses.filter((r) => r.status !== 503);
    expect(others).toHaveLength(2);
    for (const r of others) expect([200, 504]).toContain(r.status);
  });

  it('warm: a node whose queue is full answers 503 with Retry-After; a request queued too long answers 504 naming the node', async () => {
    await eventually('the graph is warm', async () => (await predict(0)).status === 200);
    // Hold the only replica, then send three more: two wait in the queue, the third finds it full.
    const hold = predict(HOLD_MS);
    await eventually('the long request is being served', () => fn('sleeper').inflight === 1);
    const started = performance.now();
    const [a, b, c] = await Promise.all([predict(0), predict(0), predict(0)]).then((all) => all.map((r) => ({ ...r, ms: performance.now() - started })));
    const byStatus = [a!, b!, c!].sort((x, y) => x.status - y.status);
    expect(byStatus.map((r) => r.status)).toEqual([503, 504, 504]);

    const full = byStatus[0]!;
    expect(full.headers.get('retry-after')).toBe('1');
    expect(full.body.status).toMatchObject({ code: 503, status: 'FAILURE' });
    expect(full.body.status.info).toMatch(/node "sleeper" .*function "sleeper" is at capacity/);

    for (const late of byStatus.slice(1)) {
      expect(late.body.status).toMatchObject({ code: 504, status: 'FAILURE' });
      expect(late.body.status.info).toMatch(new RegExp(`node "sleeper" .*function "sleeper" had no free replica within ${QUEUE_TIMEOUT_MS} ms`));
      expect(late.ms).toBeGreaterThanOrEqual(QUEUE_TIMEOUT_MS - 50);
    }
    // A caller that gives up (as the orchestrator does at a node's timeout) leaves the queue at once, not at
    // the queue timeout, and is never sent to a replica.
    const leaving = fetch(`${graph.url}/_fn/sleeper/predict`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":{"ndarray":[[0]]}}', signal: AbortSignal.timeout(200),
    }).catch((error: Error) => error.name);
    await eventually('the request waits in the queue', () => fn('sleeper').queued === 1, 1000);
    expect(await leaving).toBe('TimeoutError');
    await eventually('it left the queue', () => fn('sleeper').queued === 0, 300);
    expect(fn('sleeper').inflight).toBe(1);

    // The same over the frame transport, as the orchestrator calls: its timeout sends a cancel frame.
    const socket = path.join(path.dirname(fn('sleeper').replicas[0]!.socket!), 'gateway.sock');
    const frames = new FrameClient(socket);
    const framed = frames
      .call({ method: 'POST', path: '/_fn/sleeper/predict', headers: { 'content-type': 'application/json' }, body: '{"data":{"ndarray":[[0]]}}', timeoutMs: 200 })
      .catch((error: Error) => error.name);
    await eventually('the framed call waits in the queue', () => fn('sleeper').queued === 1, 1000);
    expect(await framed).toBe('TimeoutError');
    await eventually('it left the queue too', () => fn('sleeper').queued === 0, 300);
    frames.close();

    // The request that held the replica was not disturbed.
    const held = await hold;
    expect(held.status).toBe(200);
    expect(held.body.data.ndarray[0][1]).toBe(HOLD_MS);
    expect(fn('sleeper').queued).toBe(0);
  });

  it('GET /metrics has every per-function series, and counts the 503 and 504 answers by function and code', async () => {
    const metrics = (await graph.get('/metrics')).body as string;
    for (const fn of ['orchestrator', 'sleeper']) {
      for (const name of [
        'switchyard_function_replicas',
        'switchyard_function_desired_replicas',
        'switchyard_function_inflight',
        'switchyard_function_queued',
        'switchyard_function_cold_starts_total',
        'switchyard_function_panic_mode',
      ]) {
        expect(metrics).toMatch(new RegExp(`^${name}\\{function="${fn}"\\} \\d+$`, 'm'));
      }
      expect(metrics).toMatch(new RegExp(`^switchyard_request_duration_seconds_bucket\\{le="0.1",function="${fn}",code="200"\\} \\d+$`, 'm'));
    }
    expect(metrics).toMatch(/^switchyard_function_replicas\{function="sleeper"\} 1$/m);
    expect(metrics).toMatch(/^switchyard_function_cold_starts_total\{function="sleeper"\} 1$/m);
    expect(metrics).toMatch(/^switchyard_request_duration_seconds_count\{function="sleeper",code="503"\} 1$/m);
    expect(metrics).toMatch(/^switchyard_request_duration_seconds_count\{function="sleeper",code="504"\} 2$/m);
    expect(metrics).toMatch(/^switchyard_request_duration_seconds_count\{function="sleeper",code="499"\} 2$/m);
    expect(metrics).toMatch(/^switchyard_request_duration_seconds_count\{function="orchestrator",code="503"\} [1-9]\d*$/m);
  });

  it('`switchyard status` shows each function as a table, and exactly as JSON', async () => {
    const run = async (json: boolean) => {
      const lines: string[] = [];
      const code = await statusCommand({ host: '127.0.0.1', port: String(graph.engine.port), json }, { info: (l) => lines.push(l), error: (l) => lines.push(l) });
      expect(code).toBe(0);
      return lines.join('\n');
    };
    const table = await run(false);
    expect(table).toMatch(/^graph "queue" at http:\/\/127\.0\.0\.1:\d+, up \d+ s; internal calls over frames$/m);
    expect(table).toMatch(/^function\s+desired\s+ready\s+starting\s+in-flight\s+queued\s+cold starts\s+panic\s+p50\s+p99$/m);
    // Panic mode depends on where the ticks fell during the test's queueing (4 in flight on 1 replica can panic).
    expect(table).toMatch(/^sleeper\s+1\s+1\s+0\s+0\s+0\s+1\s+(yes|no)\s+[\d.]+ ms\s+[\d.]+ ms$/m);

    const status = JSON.parse(await run(true)) as EngineStatus;
    expect(status).toMatchObject({ graph: 'queue', graphActivation: true, url: graph.url });
    const sleeper = status.functions.find((f) => f.function === 'sleeper')!;
    expect(sleeper).toMatchObject({ desired: 1, ready: 1, inflight: 0, queued: 0, coldStarts: 1, panicking: expect.any(Boolean), failures: 0 });
    expect(sleeper.scaling).toMatchObject({ containerConcurrency: 1, maxScale: 1, target: 100, targetUtilization: 0.7, stableWindowMs: 60_000 });
    expect(sleeper.replicas).toEqual([expect.objectContaining({ id: 1, state: 'ready', inflight: 0, pid: expect.any(Number) })]);
    expect(sleeper.p99Ms).toBeGreaterThanOrEqual(sleeper.p50Ms!);
  });
});
