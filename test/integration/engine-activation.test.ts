/**
 * Graph-aware activation against the cascading cold start, on a cold chain of three functions behind the
 * orchestrator (real processes). With it, the first request that reaches the orchestrator starts every function
 * of the graph, in path order, as many at once as the machine has cores (`activationParallelism`), so the cold
 * path costs about one cold start; without it (`graphActivation: false`, `switchyard up --no-graph-activation`),
 * each function starts only when the one before it calls it. Asserted on the order of the engine's replica
 * events, not on timings (those are in `npm run bench -- burst`).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const CHAIN = path.resolve('test/fixtures/engine/chain.yaml');
/** The functions in the order a request reaches them. */
const PATH = ['orchestrator', 'first', 'second', 'last'];

/** Index in the log of a function's first replica event (`starting` or `ready`). */
function eventIndex(logs: string[], fn: string, event: 'starting' | 'ready'): number {
  const pattern = new RegExp(`^${fn}: replica 1 ${event}\\b`);
  const index = logs.findIndex((line) => pattern.test(line));
  expect(index, `no "${fn}: replica 1 ${event}" in the engine log:\n${logs.join('\n')}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('a cold graph', () => {
  let graph: RunningGraph | undefined;
  afterEach(async () => {
    await graph?.stop();
    graph = undefined;
  });

  const firstRequest = async (g: RunningGraph) => {
    const response = await g.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(response.status).toBe(200);
    // first and second add 1 each; last echoes.
    expect(response.body.data.ndarray).toEqual([[3, 4]]);
    expect(response.body.meta.requestPath).toEqual({ first: 'first', second: 'second', last: 'last' });
    for (const fn of g.engine.status().functions) expect(fn.coldStarts, fn.function).toBe(1);
  };

  it('graph-aware activation: every function of the graph starts before any of them is ready, in path order', async () => {
    // As many parallel starts as functions (the default is the machine's cores).
    graph = await startGraph(CHAIN, { engine: { activationParallelism: PATH.length } });
    expect(graph.engine.status().graphActivation).toBe(true);
    await firstRequest(graph);
    const starts = PATH.map((fn) => eventIndex(graph!.logs, fn, 'starting'));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const firstReady = Math.min(...PATH.map((fn) => eventIndex(graph!.logs, fn, 'ready')));
    expect(Math.max(...starts)).toBeLessThan(firstReady);
  });

  it('graph-aware activation (default: as many parallel starts as cores): a request only the orchestrator serves wakes every function, in path order', async () => {
    graph = await startGraph(CHAIN);
    expect((await graph.get('/api/v1.0/metadata')).status).toBe(200);
    await eventually('every function ready', () => graph!.engine.status().functions.every((f) => f.ready === 1));
    const starts = PATH.map((fn) => eventIndex(graph!.logs, fn, 'starting'));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('cascading (graphActivation: false): each function starts only once the one before it is ready and calls it', async () => {
    graph = await startGraph(CHAIN, { engine: { graphActivation: false } });
    expect(graph.engine.status().graphActivation).toBe(false);
    // A request only the orchestrator serves starts only the orchestrator.
    expect((await graph.get('/api/v1.0/metadata')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(graph.engine.status().functions.filter((f) => f.ready + f.starting > 0).map((f) => f.function)).toEqual(['orchestrator']);
    await firstRequest(graph);
    for (let i = 1; i < PATH.length; i++) {
      expect(eventIndex(graph.logs, PATH[i]!, 'starting'), `${PATH[i]} started before ${PATH[i - 1]} was ready`).toBeGreaterThan(
        eventIndex(graph.logs, PATH[i - 1]!, 'ready'),
      );
    }
  });
});
