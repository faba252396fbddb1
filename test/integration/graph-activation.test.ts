/**
 * Graph-aware activation by the orchestrator, on the local engine with real processes: the orchestrator is kept
 * warm (`minScale: 1`) while its functions scale to zero, the case the gateway's own activation does not see
 * (it wakes the graph only when the orchestrator itself is cold), and the one a Knative deployment always has.
 * A request routed to one model wakes the other too, on the first request and after an idle spell that put both
 * at zero; with `activation: cascade` only what the request reaches starts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const graphYaml = (name: string, activation: string) => `apiVersion: switchyard.dev/v1alpha1
kind: InferenceGraph
metadata: { name: ${name} }
spec:
  root: pick
  activation: ${activation}
  orchestrator:
    scaling: { minScale: 1 }
  nodes:
    pick:
      type: ROUTER
      router: switch
      parameters:
        cases: [{ field: meta.tags.model, equals: b, child: b }]
        default: a
      children: [a, b]
    a:
      type: MODEL
      component: ${path.resolve('test/fixtures/components/doubler.ts')}
    b:
      type: MODEL
      component: ${path.resolve('test/fixtures/components/doubler.ts')}
`;

describe('graph activation by a warm orchestrator', () => {
  let dir: string;
  let graph: RunningGraph;
  let cascade: RunningGraph;
  const fast = { overrides: { scaling: { scaleToZeroGracePeriodMs: 300, stableWindowMs: 6000 } }, engine: { tickMs: 100 } };
  const stats = (g: RunningGraph, fn: string) => g.engine.status().functions.find((f) => f.function === fn)!;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-activation-'));
    await writeFile(path.join(dir, 'graph.yaml'), graphYaml('wakes', 'graph'));
    await writeFile(path.join(dir, 'cascade.yaml'), graphYaml('cascades', 'cascade'));
    [graph, cascade] = await Promise.all([startGraph(path.join(dir, 'graph.yaml'), fast), startGraph(path.join(dir, 'cascade.yaml'), fast)]);
  });
  afterAll(async () => {
    await graph?.stop();
    await cascade?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('wakes the model the request was not routed to, on the first request and after both went to zero', async () => {
    await eventually('the orchestrator started with the engine (minScale 1)', () => stats(graph, 'orchestrator').ready === 1);
    expect(stats(graph, 'a').coldStarts + stats(graph, 'b').coldStarts).toBe(0);
    const first = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.meta.routing.pick).toBe(0);
    await eventually('b woken without a request of its own', () => stats(graph, 'b').coldStarts === 1);
    // The gateway starts b for the wake and answers it itself: b has served no request, and no queue place was taken.
    expect((await graph.get('/metrics')).body as string).not.toMatch(/^switchyard_request_duration_seconds_count\{function="b"/m);
    const wake = await fetch(`${graph.url}/_fn/b/health/ping`, { headers: { 'x-switchyard-wake': '1' } });
    expect([wake.status, await wake.json()]).toEqual([202, { function: 'b', woken: false }]);
    expect(await (await fetch(`${graph.url}/_fn/b/health/ping`)).text()).toBe('pong');
    expect(graph.logs.some((line) => /graph activation: first request; waking a, b|graph activation: first request; waking b, a/.test(line))).toBe(true);

    await eventually('a and b back at zero', () => ['a', 'b'].every((fn) => stats(graph, fn).ready + stats(graph, fn).starting + stats(graph, fn).draining === 0), 20_000);
    const later = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[3, 4]] } });
    expect(later.status).toBe(200);
    await eventually('b woken again after the idle spell', () => stats(graph, 'b').coldStarts === 2);
    expect(graph.logs.some((line) => /graph activation: idle \d+ s; waking/.test(line))).toBe(true);
  }, 40_000);

  it('starts only what the request reaches with activation: cascade', async () => {
    await eventually('the orchestrator started with the engine (minScale 1)', () => stats(cascade, 'orchestrator').ready === 1);
    const answer = await cascade.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(answer.status).toBe(200);
    expect(stats(cascade, 'a').coldStarts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(stats(cascade, 'b').coldStarts).toBe(0);
  });
});
