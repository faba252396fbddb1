/**
 * Node calls as client spans, through the orchestrator's real node client against a real HTTP server: trace
 * context injected, gateway facts (replica, cold start, queue time) recorded, failures recorded, sampling off.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PlanNode } from '../../../runtime/plan/types.ts';
import { createNodeClient } from '../../../runtime/orchestrator/node-client.ts';
import { traceNodeCall } from '../../../runtime/tracing/index.ts';
import { parentOf, startMemoryTracing, type MemoryTracing } from './_tracing.ts';

const node: PlanNode = {
  name: 'good-model',
  type: 'MODEL',
  children: [],
  implementation: { kind: 'onnx', modelFile: 'model.onnx', inputNames: [], outputNames: [], classNames: [], session: { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 } },
  function: 'good-model',
  timeoutMs: 2000,
};

describe('node calls as client spans', () => {
  let server: Server;
  let base: string;
  let received: IncomingHttpHeaders[] = [];
  let tracing: MemoryTracing;

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request.headers);
      request.resume();
      request.on('end', () => {
        if (request.url === '/fail') {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ status: { code: 500, info: 'onnxruntime: bad input shape', reason: 'predict_failed', status: 'FAILURE' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'x-switchyard-replica': '3', 'x-switchyard-cold-start': 'true', 'x-switchyard-queue-ms': '412.5' });
        response.end(JSON.stringify({ data: { ndarray: [[1]] } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(async () => {
    received = [];
    await tracing?.stop();
  });

  const client = () => createNodeClient({ endpoints: { 'good-model': base } });

  it('is a child of the active span and sends its own context as traceparent', async () => {
    tracing = startMemoryTracing();
    const parent = trace.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), () => client().call(node, '/predict', { data: { ndarray: [[1, 2, 3, 4]] } }));
    parent.end();
    const span = tracing.byName('call good-model /predict');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(parentOf(span)).toBe(parent.spanContext().spanId);
    expect(received[0]!.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(span.attributes).toMatchObject({
      'switchyard.node': 'good-model',
      'switchyard.node.type': 'MODEL',
      'switchyard.function': 'good-model',
      'switchyard.node.path': '/predict',
      'switchyard.replica': '3',
      'switchyard.cold_start': true,
      'switchyard.queue_ms': 412.5,
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('replaces a client\'s traceparent passed along in the headers with the call\'s own', async () => {
    tracing = startMemoryTracing();
    await client().call(node, '/predict', {}, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const span = tracing.byName('call good-model /predict');
    expect(received[0]!.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('records a failing function: error status naming the node, the function\'s status, exception event', async () => {
    tracing = startMemoryTracing();
    await expect(client().call(node, '/fail', {})).rejects.toThrow(/onnxruntime: bad input shape/);
    const span = tracing.byName('call good-model /fail');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toMatch(/node "good-model" \(function "good-model"\) failed: onnxruntime: bad input shape/);
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(span.attributes['switchyard.error.reason']).toBe('node_failed');
    expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('records an unreachable function', async () => {
    tracing = startMemoryTracing();
    const unreachable = createNodeClient({ endpoints: { 'good-model': 'http://127.0.0.1:1' } });
    await expect(unreachable.call(node, '/predict', {})).rejects.toThrow(/could not be reached/);
    const span = tracing.byName('call good-model /predict');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['switchyard.error.reason']).toBe('node_unreachable');
  });

  it('with sampling off, records nothing but still propagates the (unsampled) context', async () => {
    tracing = startMemoryTracing({ samplingRatio: 0 });
    const parent = trace.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), () => client().call(node, '/predict', {}));
    parent.end();
    expect(tracing.spans()).toHaveLength(0);
    expect(received[0]!.traceparent).toMatch(new RegExp(`^00-${parent.spanContext().traceId}-[0-9a-f]{16}-00$`));
  });

  it('hands the callback the headers and returns its result', async () => {
    tracing = startMemoryTracing();
    const result = await traceNodeCall({ node: 'n', type: 'MODEL', function: 'f', path: '/predict', url: 'http://x/predict' }, async (call) => call.headers);
    expect(result.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(tracing.byName('call n /predict').attributes['url.full']).toBe('http://x/predict');
  });
});
