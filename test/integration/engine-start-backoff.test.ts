/**
 * A function that cannot start backs off, as Kubernetes' CrashLoopBackOff does: after a failed start the requests
 * that find it at zero get a 503 at once, with the last error and a Retry-After, and no new process is spawned
 * until the backoff (1 s, then 2 s, …) is over. Real processes on the local engine.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../compiler/cli/commands/status.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

describe('a function that cannot start', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/fails.yaml'), { engine: { graphActivation: false } });
  });
  afterAll(async () => graph?.stop());

  const call = async () => {
    const response = await fetch(`${graph.url}/_fn/broken/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":{"ndarray":[[1]]}}' });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
  };
  const starts = () => graph.logs.filter((line) => /^broken: replica \d+ starting/.test(line)).length;
  const pool = () => graph.engine.status().functions.find((f) => f.function === 'broken')!;

  it('answers with the start error, then backs off without spawning again', async () => {
    const first = await call();
    expect(first.status).toBe(503);
    expect(first.body.status.info).toContain('cannot reach the feature store at 10.0.0.9:6379');
    expect(starts()).toBe(1);

    const during = await call();
    expect(during.status).toBe(503);
    expect(during.retryAfter).toBe('1');
    expect(during.body.status).toMatchObject({ reason: 'function_start_failed' });
    expect(during.body.status.info).toMatch(/^function "broken" failed to start 1 time in a row; next try in [\d.]+ m?s\. Last error: .*cannot reach the feature store/);
    expect(starts()).toBe(1);
    expect(pool()).toMatchObject({ startFailures: 1 });
    expect(pool().startBackoffMs).toBeGreaterThan(0);
    // `switchyard status` says what failed, under its table.
    const lines: string[] = [];
    expect(await statusCommand({ host: '127.0.0.1', port: String(graph.engine.port) }, { info: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(0);
    expect(lines.at(-1)).toMatch(/^✖ broken: 1 failed start in a row \(next try in [\d.]+ m?s\): .*cannot reach the feature store at 10\.0\.0\.9:6379/);
  });

  it('tries again once the backoff is over, and waits twice as long after a second failure', async () => {
    await eventually('the first backoff to end', () => pool().startBackoffMs === 0, 5000);
    const again = await call();
    expect(again.status).toBe(503);
    expect(starts()).toBe(2);
    expect(graph.logs).toContain('broken: 2 failed starts in a row; next try in 2 s');
    const during = await call();
    expect(during.retryAfter).toBe('2');
    expect(during.body.status.info).toMatch(/failed to start 2 times in a row/);
    expect(starts()).toBe(2);
  });
});
