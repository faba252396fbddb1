/**
 * @module The local engine's trace store: the most recent N traces, in memory.
 *
 * Spans arrive in batches from each function (OTLP), in any order; a trace is kept from its first span on. When
 * a new trace would make more than `maxTraces`, the one that arrived first is dropped. A trace holds at most
 * `maxSpansPerTrace` spans (more are counted as dropped), so one runaway request cannot take the memory.
 */
import type { StoredSpan, TraceList, TraceView } from './types.ts';
import { summarize, viewOf } from './view.ts';

export const DEFAULT_MAX_TRACES = 200;
export const DEFAULT_MAX_SPANS_PER_TRACE = 1000;

/** Which traces a list keeps: only failed requests, only those whose route went through a node. */
export interface TraceFilter {
  errors?: boolean;
  node?: string;
}

export interface TraceStore {
  readonly capacity: number;
  /** Adds spans; returns how many were kept. */
  add(spans: readonly StoredSpan[]): number;
  /** Newest first (by start time), at most `limit`, of those that pass `filter`. */
  list(limit?: number, filter?: TraceFilter): TraceList;
  get(traceId: string): TraceView | undefined;
  size(): number;
}

export function createTraceStore({ maxTraces = DEFAULT_MAX_TRACES, maxSpansPerTrace = DEFAULT_MAX_SPANS_PER_TRACE }: { maxTraces?: number; maxSpansPerTrace?: number } = {}): TraceStore {
  if (!Number.isInteger(maxTraces) || maxTraces < 1) throw new Error(`the trace store must keep at least 1 trace; received ${maxTraces}`);
  const traces = new Map<string, Map<string, StoredSpan>>();

  return {
    capacity: maxTraces,
    add(spans) {
      let kept = 0;
      for (const span of spans) {
        let trace = traces.get(span.traceId);
        if (trace === undefined) {
          trace = new Map();
          traces.set(span.traceId, trace);
          while (traces.size > maxTraces) traces.delete(traces.keys().next().value!);
        }
        if (trace.size >= maxSpansPerTrace && !trace.has(span.spanId)) continue;
        trace.set(span.spanId, span);
        kept++;
      }
      return kept;
    },
    list(limit = 50, filter = {}) {
      const summaries = [...traces]
        .map(([id, spans]) => summarize(id, [...spans.values()]))
        .filter((t) => (filter.errors !== true || t.status === 'error') && (filter.node === undefined || (t.route?.split(' > ').includes(filter.node) ?? false)));
      summaries.sort((a, b) => b.startMs - a.startMs);
      return { traces: summaries.slice(0, Math.max(0, limit)), capacity: maxTraces, held: traces.size };
    },
    get(traceId) {
      const spans = traces.get(traceId.toLowerCase());
      return spans === undefined ? undefined : viewOf(traceId.toLowerCase(), [...spans.values()]);
    },
    size: () => traces.size,
  };
}
