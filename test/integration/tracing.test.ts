/**
 * Tracing the seed graph on the local engine: real function processes export their spans over OTLP/HTTP to the
 * engine's receiver; one prediction is one trace whose spans cover the orchestrator, the transformer, the
 * router's decision and the chosen model, parented across processes; read back through the engine's API and
 * the real `switchyard trace list|show` commands.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceView, ViewSpan } from '../../runtime/engine/local/traces/types.ts';
import { registerTraceRoutes } from '../../runtime/engine/local/traces/routes.ts';
import { createTraceStore } from '../../runtime/engine/local/traces/store.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const SEED = path.resolve('examples/seed/graph.yaml');
const CLI = path.resolve('bin/switchyard.mjs');
const seldonRequest = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));
const v2Request = JSON.parse(await readFile('examples/seed/requests/v2.json', 'utf8'));
const run = promisify(execFile);

async function switchyard(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Waits until the engine holds the trace with at least `spans` spans, and returns it as its API answers. */
async function traceOf(graph: RunningGraph, traceId: string, spans: number): Promise<TraceView> {
  let view: TraceView | undefined;
  await eventually(`trace ${traceId} with ${spans} spans`, async () => {
    const answer = await graph.get(`/_switchyard/traces/${traceId}`);
    view = answer.status === 200 ? (answer.body as TraceView) : undefined;
    return (view?.spans.length ?? 0) >= spans;
  });
  return view!;
}

const one = (view: TraceView, name: string): ViewSpan => {
  const found = view.spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name), `spans named "${name}" in ${view.spans.map((s) => s.name).join(', ')}`).toEqual([name]);
  return found[0]!;
};

describe('traces of the seed graph', () => {
  let graph: RunningGraph;
  // The user's own OTLP collector (OTEL_EXPORTER_OTLP_ENDPOINT): a second, separate receiver.
  const collected = createTraceStore();
  let collector: ServerType;
  beforeAll(async () => {
    const app = new Hono();
    registerTraceRoutes(app, { store: collected, bodyLimitBytes: 1 << 20 });
    collector = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => collector.once('listening', () => resolve()));
    const endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
    // Without graph-aware activation each function starts only when a call reaches it, so the first call to
    // every function is a cold start for sure (with it, a fast machine may have the model ready in time).
    graph = await startGraph(SEED, {
      engine: { traces: 25, graphActivation: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' } },
    });
  });
  afterAll(async () => {
    await graph?.stop();
    await new Promise<void>((resolve) => collector?.close(() => resolve()));
  });

  let traceId = '';

  it('one prediction is one trace: orchestrator, transformer, router decision and chosen model, parented across processes', async () => {
    const { status, body, headers } = await graph.post('/api/v1.0/predictions', seldonRequest);
    expect(status).toBe(200);
    traceId = body.meta.tags['trace-id'];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const chosen: string = graph.plan.nodes.bandit!.children[body.meta.routing.bandit]!;

    const view = await traceOf(graph, traceId, 6);
    const root = one(view, 'POST /api/v1.0/predictions');
    const callFeatures = one(view, 'call features /transform-input');
    const features = one(view, 'POST /transform-input');
    const route = one(view, `route bandit → ${chosen}`);
    const callModel = one(view, `call ${chosen} /predict`);
    const model = one(view, 'POST /predict');
    expect(view.spans).toHaveLength(6);
    expect(new Set(view.spans.map((s) => s.traceId))).toEqual(new Set([traceId]));

    // Processes: the orchestrator's spans, the transformer's and the model's own.
    expect([root, callFeatures, route, callModel].map((s) => s.service)).toEqual(['orchestrator', 'orchestrator', 'orchestrator', 'orchestrator']);
    expect(features.service).toBe('features');
    expect(model.service).toBe(chosen);
    // Parents, across the process boundaries through traceparent.
    expect(root.parentSpanId).toBeUndefined();
    expect([callFeatures, route, callModel].map((s) => s.parentSpanId)).toEqual([root.spanId, root.spanId, root.spanId]);
    expect(features.parentSpanId).toBe(callFeatures.spanId);
    expect(model.parentSpanId).toBe(callModel.spanId);
    expect(view.spans.map((s) => [s.depth, s.name])).toEqual([
      [0, 'POST /api/v1.0/predictions'],
      [1, 'call features /transform-input'],
      [2, 'POST /transform-input'],
      [1, `route bandit → ${chosen}`],
      [1, `call ${chosen} /predict`],
      [2, 'POST /predict'],
    ]);
    expect(headers.get('traceparent')).toBe(`00-${traceId}-${root.spanId}-01`);

    expect(root.kind).toBe('server');
    expect(root.attributes).toMatchObject({
      'switchyard.graph': 'seed', 'switchyard.protocol': 'seldon', 'switchyard.puid': body.meta.puid,
      'switchyard.route': `features > bandit > ${chosen}`, 'http.response.status_code': 200,
    });
    expect(route.attributes).toMatchObject({ 'switchyard.router': 'epsilon-greedy', 'switchyard.router.chosen': chosen, 'switchyard.router.arms': ['weak-model', 'good-model'] });
    expect(route.attributes['switchyard.router.estimates']).toHaveLength(2);
    expect(typeof route.attributes['switchyard.router.explore']).toBe('boolean');
    expect(route.attributes['switchyard.router.reason']).toMatch(/^(explore|exploit):/);
    // The graph was cold: the first call to each function waited for its replica.
    expect(callModel.attributes).toMatchObject({ 'switchyard.node': chosen, 'switchyard.node.type': 'MODEL', 'switchyard.function': chosen, 'switchyard.replica': '1', 'switchyard.cold_start': true });
    expect(callModel.attributes['switchyard.queue_ms']).toBeGreaterThanOrEqual(0);
    expect(features.attributes).toMatchObject({ 'switchyard.function': 'features', 'switchyard.node': 'features', 'http.response.status_code': 200 });
    expect(view.summary).toMatchObject({ traceId, route: `features > bandit > ${chosen}`, status: 'ok', httpStatus: 200, spanCount: 6, errorCount: 0, puid: body.meta.puid });
  });

  it('sends the same spans to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT as well', async () => {
    const kept = await traceOf(graph, traceId, 6);
    await eventually('the collector has the trace', () => (collected.get(traceId)?.spans.length ?? 0) >= 6);
    const sent = collected.get(traceId)!;
    expect(sent.spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.name])).toEqual(kept.spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.name]));
  });

  it('continues a client\'s trace and names it in a V2 response', async () => {
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { status, body, headers } = await graph.post('/v2/models/seed/infer', v2Request, { traceparent: `00-${clientTrace}-00f067aa0ba902b7-01` });
    expect(status).toBe(200);
    expect(body.parameters['tags.trace-id']).toBe(clientTrace);
    expect(headers.get('traceparent')).toMatch(new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-01$`));
    const view = await traceOf(graph, clientTrace, 6);
    const root = one(view, 'POST /v2/models/:name/infer');
    expect(root.parentSpanId).toBe('00f067aa0ba902b7');
    expect(root.attributes['switchyard.protocol']).toBe('v2');
    // Warm now: no cold start on the node calls.
    expect(one(view, 'call features /transform-input').attributes['switchyard.cold_start']).toBe(false);
  });

  it('records a failing node, and a malformed traceparent starts a new trace without failing anything', async () => {
    const { status, headers } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } }, { traceparent: '00-nonsense' });
    expect(status).toBe(400);
    const [, failedId] = /^00-([0-9a-f]{32})-/.exec(headers.get('traceparent') ?? '')!;
    const view = await traceOf(graph, failedId!, 3);
    const call = one(view, 'call features /transform-input');
    expect(call.status).toBe('error');
    expect(call.statusMessage).toMatch(/node "features" \(function "features"\) failed: .*data\[0\]: expected a row of 4 numbers/);
    expect(one(view, 'POST /api/v1.0/predictions').parentSpanId).toBeUndefined();
    expect(view.summary).toMatchObject({ status: 'error', httpStatus: 400 });
  });

  it('reads back through `switchyard trace list` and `switchyard trace show`, in 80 columns', async () => {
    const port = String(graph.engine.port);
    const list = await switchyard(['trace', 'list', '--port', port]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const rows = list.stdout.split('\n');
    expect(rows[0]).toMatch(/^time +duration +status +trace +route$/);
    expect(list.stdout).toContain(traceId.slice(0, 12));
    expect(list.stdout).toMatch(/200 ok +[0-9a-f]{12} +features → bandit → (good|weak)-model/);
    expect(list.stdout).toMatch(/400 error/);

    const show = await switchyard(['trace', 'show', traceId.slice(0, 10), '--port', port]);
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    const lines = show.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe(`trace ${traceId}`);
    expect(show.stdout).toMatch(/route: features → bandit → (good|weak)-model/);
    expect(show.stdout).toMatch(/^POST \/api\/v1\.0\/predictions \[orchestrator\] +[\d.]+ m?s  █+$/m);
    expect(show.stdout).toMatch(/^ {4}POST \/transform-input \[features\] /m);
    expect(show.stdout).toMatch(/^ {2}route bandit → (good|weak)-model /m);
    expect(show.stdout).toMatch(/^ {4}↳ chose (good|weak)-model \((explore|exploit)\); estimates weak-model [\d.]+, good-model [\d.]+$/m);
    expect(show.stdout).toMatch(/^ {4}↳ cold start: waited [\d.]+ m?s for replica 1$/m);

    const missing = await switchyard(['trace', 'show', 'ffffffff', '--port', port]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no trace starting with ffffffff among the \d+ the engine holds \(it keeps the 25 most recent\)/);
    const noEngine = await switchyard(['trace', 'list', '--port', '1']);
    expect(noEngine.code).toBe(1);
    expect(noEngine.stderr).toMatch(/no switchyard engine answered at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('traces with sampling off (SWITCHYARD_TRACE_SAMPLING=0)', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(SEED, { engine: { env: { SWITCHYARD_TRACE_SAMPLING: '0' } } });
  });
  afterAll(async () => graph?.stop());

  it('records nothing, still names the (unsampled) trace, and follows a client that asks for sampling', async () => {
    const unsampled = await graph.post('/api/v1.0/predictions', seldonRequest);
    expect(unsampled.status).toBe(200);
    const unsampledId: string = unsampled.body.meta.tags['trace-id'];
    expect(unsampled.headers.get('traceparent')).toMatch(new RegExp(`^00-${unsampledId}-[0-9a-f]{16}-00$`));

    // A client that samples (flag 01) is followed (parent-based); once its spans from every process are in,
    // the unsampled request's would have been too, had any been recorded.
    const clientTrace = '11112222333344445555666677778888';
    const sampled = await graph.post('/api/v1.0/predictions', seldonRequest, { traceparent: `00-${clientTrace}-1111222233334444-01` });
    expect(sampled.status).toBe(200);
    await traceOf(graph, clientTrace, 6);
    const list = await graph.get('/_switchyard/traces');
    expect(list.body.traces.map((t: { traceId: string }) => t.traceId)).toEqual([clientTrace]);
  });
});
