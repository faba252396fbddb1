/**
 * @module The span batch: how a function sends its spans to the local engine's receiver, leaner than OTLP JSON.
 *
 * OTLP's JSON mapping wraps every attribute as `{key, value: {stringValue}}` and writes times as decimal strings of
 * nanoseconds; encoding that in each function and decoding it in the gateway was most of what tracing cost
 * (bench/: tracing-cost). A batch carries the same fields the engine keeps (runtime/engine/local/traces/types.ts)
 * as JSON arrays: ids in hex, times in epoch milliseconds with microsecond precision, attributes as a plain object.
 * It is only for the engine's own hop (`SWITCHYARD_TRACES_ENDPOINT`, same path as OTLP, told apart by its content
 * type); a user's collector gets standard OTLP.
 *
 * ```
 * {"v": 1, "service": "orchestrator", "spans": [
 *   [traceId, spanId, parentSpanId | null, name, kind, startMs, endMs, status, statusMessage | null,
 *    {attribute: value…}, [[eventName, timeMs, {attribute: value…}]…]]
 * ]}
 * ```
 * `kind` and `status` are OTLP's numbers (kind 0 unspecified, 1 internal, 2 server, 3 client, 4 producer,
 * 5 consumer; status 0 unset, 1 ok, 2 error).
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export const SPAN_BATCH_CONTENT_TYPE = 'application/vnd.switchyard.spans+json';
export const SPAN_BATCH_VERSION = 1;

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type BatchEvent = [name: string, timeMs: number, attributes: Record<string, Value>];
export type BatchSpan = [
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  name: string,
  kind: number,
  startMs: number,
  endMs: number,
  status: number,
  statusMessage: string | null,
  attributes: Record<string, Value>,
  events: BatchEvent[],
];

export interface SpanBatch {
  v: number;
  service: string;
  spans: BatchSpan[];
}

/** `[seconds, nanoseconds]` → epoch milliseconds, kept to the microsecond (as OTLP's receiver keeps them). */
function msOf([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + Math.floor(nanos / 1000) / 1000;
}

/** The JSON text of one batch: the SDK's spans of one service. */
export function encodeSpanBatch(service: string, spans: readonly ReadableSpan[]): string {
  const out: BatchSpan[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const ids = span.spanContext();
    const events: BatchEvent[] = span.events.map((event) => [event.name, msOf(event.time), (event.attributes ?? {}) as Record<string, Value>]);
    out[i] = [
      ids.traceId,
      ids.spanId,
      span.parentSpanContext?.spanId ?? null,
      span.name,
      // The API counts kinds from INTERNAL = 0; OTLP (and the batch) from UNSPECIFIED = 0.
      span.kind + 1,
      msOf(span.startTime),
      msOf(span.endTime),
      span.status.code,
      span.status.message ?? null,
      span.attributes as Record<string, Value>,
      events,
    ];
  }
  const batch: SpanBatch = { v: SPAN_BATCH_VERSION, service, spans: out };
  return JSON.stringify(batch);
}
