/**
 * The server-span middleware on a real Hono app with the real SDK set-up: W3C trace context continued or
 * started, malformed headers never failing a request, the response naming its trace, sampling honoured.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { activeTraceId, serverSpanMiddleware } from '../../../runtime/tracing/index.ts';
import { parentOf, startMemoryTracing, type MemoryTracing } from './_tracing.ts';

const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

function app(): Hono {
  const app = new Hono();
  app.use('*', serverSpanMiddleware({ attributes: () => ({ 'switchyard.function': 'unit' }) }));
  app.post('/predict', (c) => c.json({ trace: activeTraceId() ?? null, recording: trace.getActiveSpan()?.isRecording() ?? null }));
  app.post('/boom', () => {
    throw new Error('the model fell over');
  });
  app.post('/bad', (c) => c.json({ error: 'bad input' }, 400));
  app.get('/health/ping', (c) => c.text(String(trace.getActiveSpan() === undefined)));
  return app;
}

const post = (path: string, headers: Record<string, string> = {}) => app().request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('serverSpanMiddleware', () => {
  let tracing: MemoryTracing;
  afterEach(async () => tracing?.stop());

  it('starts a new trace without a traceparent and names it in the response', async () => {
    tracing = startMemoryTracing();
    const response = await post('/predict');
    expect(response.status).toBe(200);
    const span = tracing.byName('POST /predict');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(parentOf(span)).toBeUndefined();
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/predict', 'http.response.status_code': 200, 'switchyard.function': 'unit' });
    const [, traceId, spanId, flags] = TRACEPARENT.exec(response.headers.get('traceparent') ?? '')!;
    expect(traceId).toBe(span.spanContext().traceId);
    expect(spanId).toBe(span.spanContext().spanId);
    expect(flags).toBe('01');
    expect(((await response.json()) as any).trace).toBe(traceId);
  });

  it('continues a client\'s trace: same trace id, the client\'s span as parent', async () => {
    tracing = startMemoryTracing();
    const response = await post('/predict', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: 'vendor=x' });
    const span = tracing.byName('POST /predict');
    expect(span.spanContext().traceId).toBe(CLIENT_TRACE);
    expect(parentOf(span)).toBe(CLIENT_SPAN);
    expect(span.spanContext().traceState?.get('vendor')).toBe('x');
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${CLIENT_TRACE}-(?!${CLIENT_SPAN})[0-9a-f]{16}-01$`));
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CLIENT_SPAN}-01`],
    ['an all-zero span id', `00-${CLIENT_TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${CLIENT_TRACE}-${CLIENT_SPAN}-01`],
    ['a short trace id', `00-${CLIENT_TRACE.slice(2)}-${CLIENT_SPAN}-01`],
    ['upper-case hex', `00-${CLIENT_TRACE.toUpperCase()}-${CLIENT_SPAN}-01`],
    ['an empty value', ''],
  ])('starts a new trace, and answers normally, for a malformed traceparent: %s', async (_what, header) => {
    tracing = startMemoryTracing();
    const response = await post('/predict', { traceparent: header });
    expect(response.status).toBe(200);
    const span = tracing.byName('POST /predict');
    expect(parentOf(span)).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(CLIENT_TRACE);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers.get('traceparent')).toContain(span.spanContext().traceId);
  });

  it('records nothing with sampling off, yet still names the (unsampled) trace', async () => {
    tracing = startMemoryTracing({ samplingRatio: 0 });
    const response = await post('/predict');
    expect(response.status).toBe(200);
    expect(tracing.spans()).toHaveLength(0);
    const [, traceId, , flags] = TRACEPARENT.exec(response.headers.get('traceparent') ?? '')!;
    expect(flags).toBe('00');
    const body = (await response.json()) as any;
    expect(body).toEqual({ trace: traceId, recording: false });
  });

  it('SWITCHYARD_TRACE_SAMPLING=0 wins over the plan\'s ratio', async () => {
    tracing = startMemoryTracing({ samplingRatio: 1, env: { SWITCHYARD_TRACE_SAMPLING: '0' } });
    await post('/predict');
    expect(tracing.spans()).toHaveLength(0);
  });

  it('follows the caller\'s sampled flag whatever its own ratio (parent-based)', async () => {
    tracing = startMemoryTracing({ samplingRatio: 0 });
    await post('/predict', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
    expect(tracing.spans()).toHaveLength(1);
    await tracing.stop();
    tracing = startMemoryTracing({ samplingRatio: 1 });
    const response = await post('/predict', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-00` });
    expect(tracing.spans()).toHaveLength(0);
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${CLIENT_TRACE}-[0-9a-f]{16}-00$`));
  });

  it('marks a thrown error: exception event, error status, 500', async () => {
    tracing = startMemoryTracing();
    const response = await post('/boom');
    expect(response.status).toBe(500);
    const span = tracing.byName('POST /boom');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toBe('the model fell over');
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(span.events.find((e) => e.name === 'exception')?.attributes?.['exception.message']).toBe('the model fell over');
    expect(response.headers.get('traceparent')).toContain(span.spanContext().traceId);
  });

  it('keeps a 4xx answer out of the error status (the client\'s mistake), with its status code', async () => {
    tracing = startMemoryTracing();
    await post('/bad');
    const span = tracing.byName('POST /bad');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['http.response.status_code']).toBe(400);
  });

  it('leaves GET requests (health, metrics) untraced by default', async () => {
    tracing = startMemoryTracing();
    const response = await app().request('/health/ping');
    expect(await response.text()).toBe('true');
    expect(response.headers.get('traceparent')).toBeNull();
    expect(tracing.spans()).toHaveLength(0);
  });

  it('costs nothing and changes nothing when tracing is off (OTEL_SDK_DISABLED)', async () => {
    tracing = startMemoryTracing({ env: { OTEL_SDK_DISABLED: 'true' } });
    expect(tracing.handle.enabled).toBe(false);
    const response = await post('/predict', { traceparent: 'garbage' });
    expect(response.status).toBe(200);
    expect(response.headers.get('traceparent')).toBeNull();
    expect(await response.json()).toEqual({ trace: null, recording: null });
  });
});
