/** @module What the orchestrator writes on a request's span, and how a response names its trace. */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { ATTR_GRAPH, ATTR_PROTOCOL, ATTR_PUID, ATTR_ROUTE } from './attributes.ts';

export interface RequestFacts {
  graph?: string;
  /** `seldon`, `v2` or `feedback`. */
  protocol?: string;
  puid?: string;
  /** The nodes the request went through, in walk order. */
  route?: string[];
}

/** Sets the request's facts on the active span (the request's server span); nothing when it is not recorded. */
export function annotateRequest(facts: RequestFacts): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return;
  if (facts.graph !== undefined) span.setAttribute(ATTR_GRAPH, facts.graph);
  if (facts.protocol !== undefined) span.setAttribute(ATTR_PROTOCOL, facts.protocol);
  if (facts.puid !== undefined) span.setAttribute(ATTR_PUID, facts.puid);
  if (facts.route !== undefined) span.setAttribute(ATTR_ROUTE, facts.route.join(' > '));
}

/** The active trace's id (32 hex digits), sampled or not; undefined when there is no valid trace context. */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context !== undefined && isSpanContextValid(context) ? context.traceId : undefined;
}

/** The active span's W3C `traceparent` (version 00); undefined when there is no valid trace context. */
export function activeTraceparent(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (context === undefined || !isSpanContextValid(context)) return undefined;
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 1) === 1 ? '01' : '00'}`;
}
