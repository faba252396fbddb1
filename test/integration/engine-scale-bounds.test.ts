/**
 * minScale and initialScale with real processes: a function with a minScale runs from the engine's start
 * (no request needed); a function activated from zero starts its initialScale.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const fixture = (name: string) => path.resolve('test/fixtures/engine', name);

describe('scale bounds', () => {
  let graph: RunningGraph | undefined;
  afterEach(async () => {
    await graph?.stop();
    graph = undefined;
  });
  const fn = (name: string) => graph!.engine.status().functions.find((f) => f.function === name)!;

  it('minScale: every function is started with the engine, before any request (that it stays is a unit-tested decision)', async () => {
    graph = await startGraph(fixture('burst.yaml'), { overrides: { scaling: { minScale: 1 } } });
    await eventually('both functions ready without a request', () => fn('doubler').ready === 1 && fn('orchestrator').ready === 1);
    expect(fn('doubler').coldStarts).toBe(1);
    expect(graph.engine.status().functions.map((f) => [f.function, f.desired])).toEqual([
      ['orchestrator', 1],
      ['doubler', 1],
    ]);
    const response = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[2]] } });
    expect(response.body.data.ndarray).toEqual([[4]]);
  });

  it('initialScale: the first request starts that many replicas of each function at once', async () => {
    graph = await startGraph(fixture('replicas.yaml'), { overrides: { scaling: { initialScale: 3 } } });
    expect(fn('sleeper').ready + fn('sleeper').starting).toBe(0);
    expect((await graph.post('/api/v1.0/predictions', { data: { ndarray: [[0]] } })).status).toBe(200);
    await eventually('three ready replicas of sleeper', () => fn('sleeper').ready === 3);
    expect(fn('sleeper').desired).toBe(3);
    expect(fn('orchestrator').desired).toBe(3);
  });
});
