/**
 * The orchestrator's spans, from its real HTTP app down to real HTTP node calls: the request's server span, a
 * router decision span with its estimates and reason, the chosen child's call, errors; and how every
 * prediction response names its trace (Seldon meta.tags, V2 parameters, traceparent header).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentPlan, PlanFunction, PlanNode } from '../../../runtime/plan/types.ts';
import { createOrchestrator, createOrchestratorApp, createOrchestratorMetrics } from '../../../runtime/orchestrator/index.ts';
import { createMemoryStore } from '../../../runtime/state/index.ts';
import { realClock, seededRng } from '../../../runtime/time/index.ts';
import { knativePolicy } from '../../helpers/scaling-policy.ts';
import { parentOf, startMemoryTracing, type MemoryTracing } from './_tracing.ts';

const SESSION = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 } as const;
const model = (name: string): PlanNode => ({
  name, type: 'MODEL', children: [], function: name, timeoutMs: 2000,
  implementation: { kind: 'onnx', modelFile: 'model.onnx', inputNames: [], outputNames: [], classNames: [], session: SESSION },
});
const fn = (name: string, kind: PlanFunction['kind'], nodes: string[]): PlanFunction => ({
  name, kind, nodes, device: { kind: 'cpu', affinity: 'required', count: 0 }, resources: { requests: {}, limits: {} }, scaling: knativePolicy(), bundle: `functions/${name}/index.mjs`,
});

function plan(root: PlanNode): DeploymentPlan {
  const nodes = { [root.name]: root, a: model('a'), b: model('b') };
  return {
    apiVersion: 'switchyard.dev/v1alpha1', graph: 'traced', namespace: 'default', root: root.name, nodes,
    edges: [[root.name, 'a'], [root.name, 'b']],
    functions: {
      orchestrator: fn('orchestrator', 'orchestrator', root.function === 'orchestrator' ? [root.name] : []),
      a: fn('a', 'model', ['a']),
      b: fn('b', 'model', ['b']),
      ...(root.function === 'orchestrator' ? {} : { [root.function]: fn(root.function, 'component', [root.name]) }),
    },
    state: { kind: 'memory' }, tracing: { samplingRatio: 1 }, labels: {},
  };
}

const bandit: PlanNode = { name: 'bandit', type: 'ROUTER', children: ['a', 'b'], function: 'orchestrator', timeoutMs: 1000, implementation: { kind: 'router', router: 'epsilon-greedy', parameters: { epsilon: 0 } } };
const picker: PlanNode = { name: 'picker', type: 'ROUTER', children: ['a', 'b'], function: 'picker', timeoutMs: 1000, implementation: { kind: 'component', module: './picker.ts', methods: ['route'], parameters: {} } };

describe('orchestrator spans', () => {
  let server: Server;
  let base: string;
  let failing = false;
  let tracing: MemoryTracing;

  beforeAll(async () => {
    // Plays every function: models answer /predict, the user router answers /route with child 1.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        if (request.url?.endsWith('/route')) return void response.end(JSON.stringify({ data: { ndarray: [[1]] } }));
        if (failing) {
          response.statusCode = 500;
          return void response.end(JSON.stringify({ status: { code: 500, info: 'model a crashed', reason: 'predict_failed', status: 'FAILURE' } }));
        }
        response.end(JSON.stringify({ data: { names: ['p'], ndarray: [[0.5]] } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(async () => {
    failing = false;
    await tracing?.stop();
  });

  function orchestratorApp(root: PlanNode) {
    const p = plan(root);
    const endpoints = Object.fromEntries(Object.keys(p.functions).map((name) => [name, `${base}/${name}`]));
    const orchestrator = createOrchestrator({ plan: p, endpoints, store: createMemoryStore(), rng: seededRng(7), clock: realClock });
    return createOrchestratorApp({ orchestrator, metrics: createOrchestratorMetrics(p.graph) }).app;
  }
  const post = (root: PlanNode, path: string, body: unknown) =>
    orchestratorApp(root).request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('traces a Seldon prediction: root span, the router\'s decision, the chosen child\'s call', async () => {
    tracing = startMemoryTracing({ service: 'orchestrator' });
    const response = await post(bandit, '/api/v1.0/predictions', { data: { ndarray: [[1, 2]] }, meta: { puid: 'p-1' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;

    const root = tracing.byName('POST /api/v1.0/predictions');
    const route = tracing.byName('route bandit → a');
    const call = tracing.byName('call a /predict');
    const traceId = root.spanContext().traceId;
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toMatchObject({ 'switchyard.graph': 'traced', 'switchyard.protocol': 'seldon', 'switchyard.puid': 'p-1', 'switchyard.route': 'bandit > a' });
    expect(parentOf(route)).toBe(root.spanContext().spanId);
    expect(parentOf(call)).toBe(root.spanContext().spanId);
    expect(route.attributes).toMatchObject({
      'switchyard.node': 'bandit',
      'switchyard.router': 'epsilon-greedy',
      'switchyard.router.arms': ['a', 'b'],
      'switchyard.router.arm': 0,
      'switchyard.router.chosen': 'a',
      'switchyard.router.explore': false,
      'switchyard.router.estimates': [0, 0],
    });
    expect(route.attributes['switchyard.router.reason']).toMatch(/^exploit/);
    // The decision comes before the call it leads to. Span times are [seconds, nanoseconds] pairs (a sum as a
    // float loses the nanoseconds), and a start time may carry only millisecond precision: allow 1 ms.
    const ns = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
    expect(ns(route.endTime) <= ns(call.startTime) + 1_000_000n).toBe(true);

    expect(body.meta.tags['trace-id']).toBe(traceId);
    expect(response.headers.get('traceparent')).toBe(`00-${traceId}-${root.spanContext().spanId}-01`);
  });

  it('names the trace in a V2 response\'s parameters', async () => {
    tracing = startMemoryTracing({ service: 'orchestrator' });
    const response = await post(bandit, '/v2/models/traced/infer', { inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    const root = tracing.byName('POST /v2/models/:name/infer');
    expect(root.attributes['switchyard.protocol']).toBe('v2');
    expect(body.parameters['tags.trace-id']).toBe(root.spanContext().traceId);
  });

  it('puts a user router\'s /route call under its decision span', async () => {
    tracing = startMemoryTracing({ service: 'orchestrator' });
    const response = await post(picker, '/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(response.status).toBe(200);
    const route = tracing.byName('route picker → b');
    const routeCall = tracing.byName('call picker /route');
    expect(parentOf(routeCall)).toBe(route.spanContext().spanId);
    expect(route.attributes).toMatchObject({ 'switchyard.router': 'component', 'switchyard.router.chosen': 'b', 'switchyard.router.arm': 1 });
    expect(route.attributes['switchyard.router.explore']).toBeUndefined();
    expect(tracing.spans().map((s) => s.name)).toContain('call b /predict');
  });

  it('records a failing node on its call span and on the request\'s span', async () => {
    tracing = startMemoryTracing({ service: 'orchestrator' });
    failing = true;
    const response = await post(bandit, '/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(response.status).toBe(502);
    const root = tracing.byName('POST /api/v1.0/predictions');
    const call = tracing.byName('call a /predict');
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.status.message).toMatch(/node "a" \(function "a"\) failed: model a crashed/);
    expect(root.attributes['http.response.status_code']).toBe(502);
    expect(response.headers.get('traceparent')).toContain(root.spanContext().traceId);
  });
});
