/**
 * @module A trace's summary (one line of `switchyard trace list`) and its waterfall order (`trace show`, /ui).
 *
 * The root is the earliest span whose parent is not in the trace (a client's own traceparent makes the
 * orchestrator's span a child of a span the engine never sees). Rows are depth-first, siblings by start time;
 * a span whose parent has not arrived yet is shown as a root until it does.
 */
import { ATTR_HTTP_STATUS, ATTR_PUID, ATTR_ROUTE } from '../../../tracing/attributes.ts';
import type { StoredSpan, TraceSummary, TraceView, ViewSpan } from './types.ts';

export function summarize(traceId: string, spans: readonly StoredSpan[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)).sort(byStart);
  const root = roots[0] ?? spans[0];
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.endMs));
  const errorCount = spans.filter((s) => s.status === 'error').length;
  const route = spans.map((s) => s.attributes[ATTR_ROUTE]).find((r) => typeof r === 'string');
  const puid = spans.map((s) => s.attributes[ATTR_PUID]).find((p) => typeof p === 'string');
  const httpStatus = root?.attributes[ATTR_HTTP_STATUS];
  return {
    traceId,
    startMs,
    durationMs: endMs - startMs,
    requestMs: root === undefined ? endMs - startMs : root.endMs - root.startMs,
    name: root?.name ?? '',
    service: root?.service ?? '',
    ...(typeof route === 'string' ? { route } : {}),
    status: failed(root, httpStatus, errorCount) ? 'error' : 'ok',
    ...(typeof httpStatus === 'number' ? { httpStatus } : {}),
    spanCount: spans.length,
    errorCount,
    ...(typeof puid === 'string' ? { puid } : {}),
  };
}

/**
 * Whether the request failed: its answer's HTTP status when the root span has one (a 4xx or 5xx), else any span
 * in error. A span that failed under a request that succeeded (a shadow's) is in
 * `errorCount`, not in the request's status.
 */
function failed(root: StoredSpan | undefined, httpStatus: unknown, errorCount: number): boolean {
  if (root?.status === 'error') return true;
  return typeof httpStatus === 'number' ? httpStatus >= 400 : errorCount > 0;
}

export function viewOf(traceId: string, spans: readonly StoredSpan[]): TraceView {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, StoredSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const rows: ViewSpan[] = [];
  const visit = (span: StoredSpan, depth: number, seen: Set<string>) => {
    if (seen.has(span.spanId)) return; // a cycle in bad data must not hang the engine
    seen.add(span.spanId);
    rows.push({ ...span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const root of (children.get(undefined) ?? []).sort(byStart)) visit(root, 0, seen);
  // Spans caught in a parent cycle (bad data) are still shown, as roots.
  for (const span of [...spans].sort(byStart)) if (!seen.has(span.spanId)) visit(span, 0, seen);
  return { summary: summarize(traceId, spans), spans: rows };
}

function byStart(a: StoredSpan, b: StoredSpan): number {
  return a.startMs - b.startMs || a.endMs - b.endMs;
}
