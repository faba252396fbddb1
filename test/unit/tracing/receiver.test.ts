/**
 * The local engine's trace receiver and trace API on a real HTTP server, fed by the real SDK with each of the
 * exporters a function runs (span batches to the engine, OTLP to a user's collector), and its answers to
 * requests that are neither.
 */
import { gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerTraceRoutes } from '../../../runtime/engine/local/traces/routes.ts';
import { createTraceStore } from '../../../runtime/engine/local/traces/store.ts';
import type { TraceList, TraceView } from '../../../runtime/engine/local/traces/types.ts';
import { tracingSettings } from '../../../runtime/tracing/config.ts';
import { startTracing } from '../../../runtime/tracing/sdk.ts';
import { recordSpanError } from '../../../runtime/tracing/index.ts';
import { SPAN_BATCH_CONTENT_TYPE } from '../../../runtime/tracing/span-batch.ts';

const span = (overrides: Record<string, unknown> = {}) => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'POST /predict',
  kind: 2,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000012500000',
  attributes: [{ key: 'switchyard.node', value: { stringValue: 'features' } }],
  ...overrides,
});
const request = (...spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'features' } }] }, scopeSpans: [{ spans }] }] });

describe('OTLP receiver and trace API', () => {
  const store = createTraceStore({ maxTraces: 50 });
  let server: ServerType;
  let base: string;
  /** The content type of each POST /v1/traces. */
  const contentTypes: string[] = [];

  beforeAll(async () => {
    const app = new Hono();
    app.use('/v1/traces', async (c, next) => {
      contentTypes.push(c.req.header('content-type') ?? '');
      await next();
    });
    registerTraceRoutes(app, { store, bodyLimitBytes: 64 * 1024 });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const postJson = (body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}/v1/traces`, { method: 'POST', headers, body });

  it.each([
    ['the engine exporter\'s span batches', 'engine', { SWITCHYARD_TRACES_ENDPOINT: '/v1/traces' }, SPAN_BATCH_CONTENT_TYPE],
    ['the OTLP exporter\'s requests', 'otlp', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '/v1/traces' }, 'application/json'],
  ])('receives %s, with attributes, events, status and parents intact', async (_what, exporter, paths, contentType) => {
    contentTypes.length = 0;
    const env = Object.fromEntries(Object.entries(paths).map(([name, p]) => [name, `${base}${p}`]));
    // The OTLP exporter reads its endpoint from the process's environment itself.
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const { settings } = tracingSettings({ service: 'orchestrator', graph: 'seed', env });
    expect(settings.exporters.map((e) => e.name)).toEqual([exporter]);
    const handle = startTracing(settings);
    const tracer = trace.getTracer('test');
    const root = tracer.startSpan('POST /api/v1.0/predictions', { kind: SpanKind.SERVER, attributes: { 'switchyard.route': 'features > bandit > good-model', 'http.response.status_code': 200 } });
    const ctx = trace.setSpan(context.active(), root);
    const route = tracer.startSpan('route bandit → good-model', { attributes: { 'switchyard.router.estimates': [0.6, 0.965], 'switchyard.router.explore': false, 'switchyard.router.arm': 1 } }, ctx);
    route.end();
    const call = tracer.startSpan('call good-model /predict', { kind: SpanKind.CLIENT }, ctx);
    recordSpanError(new Error('node "good-model" failed'), { span: call, markError: true });
    call.end();
    root.end();
    await handle.shutdown();
    vi.unstubAllEnvs();
    expect(contentTypes.length).toBeGreaterThan(0);
    expect(new Set(contentTypes)).toEqual(new Set([contentType]));

    const traceId = root.spanContext().traceId;
    const view = (await (await fetch(`${base}/_switchyard/traces/${traceId}`)).json()) as TraceView;
    expect(view.spans.map((s) => [s.depth, s.name, s.service, s.kind])).toEqual([
      [0, 'POST /api/v1.0/predictions', 'orchestrator', 'server'],
      [1, 'route bandit → good-model', 'orchestrator', 'internal'],
      [1, 'call good-model /predict', 'orchestrator', 'client'],
    ]);
    const [rootRow, routeRow, callRow] = view.spans;
    expect(routeRow!.parentSpanId).toBe(rootRow!.spanId);
    expect(routeRow!.attributes).toMatchObject({ 'switchyard.router.estimates': [0.6, 0.965], 'switchyard.router.explore': false, 'switchyard.router.arm': 1 });
    expect(callRow!.status).toBe('error');
    expect(callRow!.statusMessage).toBe('node "good-model" failed');
    expect(callRow!.events[0]!.attributes['exception.message']).toBe('node "good-model" failed');
    expect(rootRow!.endMs).toBeGreaterThanOrEqual(rootRow!.startMs);
    // Epoch milliseconds to the microsecond, as the SDK timed them.
    const [seconds, nanos] = (root as unknown as { startTime: [number, number] }).startTime;
    expect(rootRow!.startMs).toBeCloseTo(seconds * 1000 + nanos / 1e6, 3);
    expect(Math.abs(rootRow!.startMs - Date.now())).toBeLessThan(60_000);
    // The request answered 200: the failed call under it is counted, and the request is not a failure.
    expect(view.summary).toMatchObject({ traceId, route: 'features > bandit > good-model', status: 'ok', httpStatus: 200, spanCount: 3, errorCount: 1, service: 'orchestrator' });

    const list = (await (await fetch(`${base}/_switchyard/traces?limit=5`)).json()) as TraceList;
    expect(list.traces[0]!.traceId).toBe(traceId);
    expect(list.capacity).toBe(50);
  });

  it('accepts OTLP enums by name, 64-bit numbers as numbers, and gzip', async () => {
    const body = JSON.stringify(request(span({ traceId: 'aa'.repeat(16), kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: 1.7e18, endTimeUnixNano: 1.7e18 + 2e6, status: { code: 'STATUS_CODE_ERROR', message: 'boom' } })));
    const response = await postJson(gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const view = store.get('aa'.repeat(16))!;
    expect(view.spans[0]).toMatchObject({ kind: 'client', status: 'error', statusMessage: 'boom', service: 'features' });
    expect(view.spans[0]!.endMs - view.spans[0]!.startMs).toBeCloseTo(2, 3);
  });

  it('rejects bad spans one by one, naming the field (OTLP partial success)', async () => {
    const response = await postJson(JSON.stringify(request(span({ traceId: 'bb'.repeat(16) }), span({ traceId: 'xyz' }), span({ traceId: 'cc'.repeat(16), spanId: '0'.repeat(16) }))));
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.partialSuccess.rejectedSpans).toBe(2);
    expect(body.partialSuccess.errorMessage).toContain('resourceSpans[0].scopeSpans[0].spans[1].traceId: expected 32 hex digits, not all zero; received "xyz"');
    expect(body.partialSuccess.errorMessage).toContain('spans[2].spanId');
    expect(store.get('bb'.repeat(16))).toBeDefined();
  });

  it.each([
    ['a body that is not JSON', '{"resourceSpans": [', 400, /not valid JSON/],
    ['a body that is not an export request', '[1, 2]', 400, /expected a JSON object with "resourceSpans"/],
    ['resourceSpans that is not a list', '{"resourceSpans": {}}', 400, /resourceSpans: expected an array/],
  ])('answers %s with a google.rpc.Status', async (_what, body, status, message) => {
    const response = await postJson(body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as any;
    expect(answer.code).toBe(3);
    expect(answer.message).toMatch(message);
  });

  it('refuses protobuf (415) and bodies over the limit (413)', async () => {
    const proto = await postJson(new Uint8Array([10, 0]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(415);
    expect(((await proto.json()) as any).message).toMatch(/OTLP\/HTTP JSON/);
    const big = await postJson(JSON.stringify(request(span({ name: 'x'.repeat(70_000) }))));
    expect(big.status).toBe(413);
    const bomb = await postJson(gzipSync('{"resourceSpans":[' + ' '.repeat(200_000) + ']}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
  });

  const batchSpan = (overrides: Record<number, unknown> = {}) => {
    const fields: unknown[] = ['dd'.repeat(16), 'eee19b7ec3c1b174', null, 'POST /predict', 3, 1.7e12, 1.7e12 + 2.5, 2, 'boom', { 'switchyard.node': 'features' }, [['exception', 1.7e12 + 1, { 'exception.message': 'boom' }]]];
    for (const [index, value] of Object.entries(overrides)) fields[Number(index)] = value;
    return fields;
  };
  const postBatch = (body: unknown) => postJson(JSON.stringify(body), { 'content-type': SPAN_BATCH_CONTENT_TYPE });

  it('reads a span batch field by field, and rejects its bad spans one by one, naming index and field', async () => {
    const response = await postBatch({
      v: 1,
      service: 'features',
      spans: [
        batchSpan(),
        batchSpan({ 0: 'ee'.repeat(16), 1: 'xyz' }),
        batchSpan({ 0: 'ee'.repeat(16), 4: 9 }),
        batchSpan({ 0: 'ee'.repeat(16), 9: { nested: { no: 1 } } }),
        batchSpan({ 0: 'ee'.repeat(16), 6: 1.6e12 }),
        [1, 2, 3],
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.partialSuccess.rejectedSpans).toBe(5);
    expect(body.partialSuccess.errorMessage).toContain('spans[1][1] (spanId): expected 16 lowercase hex digits, not all zero; received "xyz"');
    expect(body.partialSuccess.errorMessage).toContain('spans[2][4] (kind): expected an integer from 0 to 5; received 9');
    expect(body.partialSuccess.errorMessage).toContain('spans[3][9] (attributes).nested: expected a string, number, boolean, null or an array of them');
    expect(body.partialSuccess.errorMessage).toContain('spans[4][6] (endMs): ends before it starts');
    expect(store.get('ee'.repeat(16))).toBeUndefined();
    const [stored] = store.get('dd'.repeat(16))!.spans;
    expect(stored).toMatchObject({ name: 'POST /predict', kind: 'client', service: 'features', status: 'error', statusMessage: 'boom', attributes: { 'switchyard.node': 'features' } });
    expect(stored!.parentSpanId).toBeUndefined();
    expect(stored!.endMs - stored!.startMs).toBeCloseTo(2.5, 3);
    expect(stored!.events).toEqual([{ name: 'exception', timeMs: 1.7e12 + 1, attributes: { 'exception.message': 'boom' } }]);
  });

  it.each([
    ['a body that is not a batch', [1], /expected a JSON object with "v", "service" and "spans"/],
    ['another version', { v: 2, service: 'features', spans: [] }, /v: expected 1 .*received 2/],
    ['no service', { v: 1, spans: [] }, /service: expected the service name/],
    ['spans that is not a list', { v: 1, service: 'features', spans: {} }, /spans: expected an array/],
  ])('answers a span batch with %s with a google.rpc.Status', async (_what, body, message) => {
    const response = await postBatch(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as any;
    expect(answer.code).toBe(3);
    expect(answer.message).toMatch(message);
  });

  it('answers unknown and malformed trace ids clearly', async () => {
    const missing = await fetch(`${base}/_switchyard/traces/${'de'.repeat(16)}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error).toMatch(/keeps the 50 most recent traces/);
    const malformed = await fetch(`${base}/_switchyard/traces/not-an-id`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error).toMatch(/not 32 hex digits/);
    const badLimit = await fetch(`${base}/_switchyard/traces?limit=-1`);
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as any).error).toMatch(/limit: expected a positive integer/);
  });
});
