/**
 * @module The local engine's trace records: spans as its receiver stores them, and what its API answers.
 *
 * `GET /_switchyard/traces` answers a `TraceList`, `GET /_switchyard/traces/<id>` a `TraceView`; the CLI
 * (`switchyard trace list|show`) and the web page at /ui read exactly these.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusName = 'unset' | 'ok' | 'error';

export interface StoredEvent {
  name: string;
  /** Epoch milliseconds (fractional). */
  timeMs: number;
  attributes: Attributes;
}

export interface StoredSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  /** The resource's `service.name`: the function that recorded the span. */
  service: string;
  /** Epoch milliseconds (fractional, microsecond precision). */
  startMs: number;
  endMs: number;
  status: SpanStatusName;
  statusMessage?: string;
  attributes: Attributes;
  events: StoredEvent[];
}

export interface TraceSummary {
  traceId: string;
  startMs: number;
  /** From the first span's start to the last one's end: background work (a shadow) included. */
  durationMs: number;
  /** The root span's own duration: the request as its client waited for it. */
  requestMs: number;
  /** The root span's name and service (the earliest span whose parent is not in the trace). */
  name: string;
  service: string;
  /** The nodes the request went through (`features > bandit > good-model`), when the orchestrator said. */
  route?: string;
  /** `error` when the request failed (its HTTP status is 4xx or 5xx, or its root span failed); spans that failed under a request that succeeded are in `errorCount`. */
  status: 'ok' | 'error';
  /** The root span's HTTP status, when it has one. */
  httpStatus?: number;
  spanCount: number;
  errorCount: number;
  puid?: string;
}

export interface TraceList {
  /** Newest first. */
  traces: TraceSummary[];
  /** How many traces the engine keeps (`switchyard up --traces N`). */
  capacity: number;
  /** How many it holds now. */
  held: number;
}

export interface ViewSpan extends StoredSpan {
  /** Nesting depth in the waterfall: 0 for a root. */
  depth: number;
}

export interface TraceView {
  summary: TraceSummary;
  /** Depth-first, children by start time: the waterfall's rows in order. */
  spans: ViewSpan[];
}
