/** The local engine's trace store: the most recent N traces, spans in any order, waterfall order and summaries. */
import { describe, expect, it } from 'vitest';
import { createTraceStore } from '../../../runtime/engine/local/traces/store.ts';
import type { StoredSpan } from '../../../runtime/engine/local/traces/types.ts';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function span(trace: number, id: number, parent: number | undefined, startMs: number, endMs: number, extra: Partial<StoredSpan> = {}): StoredSpan {
  return {
    traceId: hex(trace, 32),
    spanId: hex(id, 16),
    ...(parent === undefined ? {} : { parentSpanId: hex(parent, 16) }),
    name: `span ${id}`,
    kind: 'internal',
    service: 'orchestrator',
    startMs,
    endMs,
    status: 'unset',
    attributes: {},
    events: [],
    ...extra,
  };
}

describe('trace store', () => {
  it('keeps the most recent N traces, dropping the one that arrived first', () => {
    const store = createTraceStore({ maxTraces: 3 });
    for (let t = 1; t <= 5; t++) store.add([span(t, 1, undefined, t * 100, t * 100 + 10)]);
    expect(store.size()).toBe(3);
    expect(store.get(hex(1, 32))).toBeUndefined();
    expect(store.get(hex(2, 32))).toBeUndefined();
    expect(store.list().traces.map((t) => t.traceId)).toEqual([hex(5, 32), hex(4, 32), hex(3, 32)]);
    expect(store.list(2)).toMatchObject({ capacity: 3, held: 3 });
    expect(store.list(2).traces).toHaveLength(2);
  });

  it('lists only failed requests, or only those through a node, newest first, up to the limit', () => {
    const store = createTraceStore();
    const request = (t: number, route: string, failed: boolean) =>
      span(t, 1, undefined, t * 100, t * 100 + 10, { attributes: { 'switchyard.route': route }, ...(failed ? { status: 'error' as const } : {}) });
    store.add([request(1, 'features > bandit > good-model', false), request(2, 'features > bandit > weak-model', true), request(3, 'features > bandit', true), request(4, 'features > bandit > weak-model', false)]);
    const ids = (list: { traces: { traceId: string }[] }) => list.traces.map((t) => Number.parseInt(t.traceId, 16));
    expect(ids(store.list(50, { errors: true }))).toEqual([3, 2]);
    expect(ids(store.list(50, { node: 'weak-model' }))).toEqual([4, 2]);
    expect(ids(store.list(50, { errors: true, node: 'weak-model' }))).toEqual([2]);
    expect(ids(store.list(1, { node: 'bandit' }))).toEqual([4]);
    // A node is matched whole: "model" is not "good-model".
    expect(ids(store.list(50, { node: 'model' }))).toEqual([]);
    expect(store.list(50, { errors: true })).toMatchObject({ held: 4 });
  });

  it('assembles a trace from batches in any order, children under parents, siblings by start', () => {
    const store = createTraceStore();
    // Functions export before the orchestrator: children arrive first.
    store.add([span(7, 11, 3, 12, 14, { service: 'good-model' }), span(7, 10, 2, 2, 6, { service: 'features' })]);
    expect(store.get(hex(7, 32))!.spans.map((s) => [s.depth, s.spanId])).toEqual([
      [0, hex(10, 16)],
      [0, hex(11, 16)],
    ]);
    store.add([span(7, 1, undefined, 0, 20, { attributes: { 'switchyard.route': 'features > bandit > good-model', 'http.response.status_code': 200, 'switchyard.puid': 'p1' } }), span(7, 3, 1, 10, 16), span(7, 2, 1, 1, 8), span(7, 4, 1, 8, 9)]);
    const view = store.get(hex(7, 32).toUpperCase())!;
    expect(view.spans.map((s) => [s.depth, s.spanId])).toEqual([
      [0, hex(1, 16)],
      [1, hex(2, 16)],
      [2, hex(10, 16)],
      [1, hex(4, 16)],
      [1, hex(3, 16)],
      [2, hex(11, 16)],
    ]);
    expect(view.summary).toMatchObject({ startMs: 0, durationMs: 20, name: 'span 1', route: 'features > bandit > good-model', status: 'ok', httpStatus: 200, spanCount: 6, errorCount: 0, puid: 'p1' });
  });

  it('takes as root the earliest span whose parent it never saw (a client\'s own traceparent)', () => {
    const store = createTraceStore();
    store.add([span(8, 2, 99, 5, 15, { name: 'POST /api/v1.0/predictions', attributes: { 'http.response.status_code': 502 } }), span(8, 3, 2, 6, 9, { status: 'error' })]);
    expect(store.get(hex(8, 32))!.summary).toMatchObject({ name: 'POST /api/v1.0/predictions', status: 'error', httpStatus: 502, errorCount: 1 });
  });

  it('bounds the spans of one trace, and a repeated span replaces itself', () => {
    const store = createTraceStore({ maxSpansPerTrace: 2 });
    expect(store.add([span(9, 1, undefined, 0, 1), span(9, 2, 1, 0, 1), span(9, 3, 1, 0, 1)])).toBe(2);
    expect(store.add([span(9, 2, 1, 0, 5)])).toBe(1);
    expect(store.get(hex(9, 32))!.spans.map((s) => s.endMs)).toEqual([1, 5]);
  });

  it('survives a parent cycle in bad data', () => {
    const store = createTraceStore();
    store.add([span(10, 1, 2, 0, 1), span(10, 2, 1, 0, 1)]);
    expect(store.get(hex(10, 32))!.spans.map((s) => s.depth)).toEqual([0, 1]);
    expect(store.list().traces[0]!.spanCount).toBe(2);
  });

  it('refuses to keep fewer than one trace', () => {
    expect(() => createTraceStore({ maxTraces: 0 })).toThrow(/at least 1 trace/);
  });
});
