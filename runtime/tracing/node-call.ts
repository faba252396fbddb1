/**
 * @module A client span around one call from the orchestrator to a node's function, with trace context injected.
 *
 * `traceNodeCall` starts the span as a child of the active one (the request's server span, or a router's span),
 * hands the caller the headers that carry it (`traceparent`, `tracestate`), and lets the caller report the
 * response: its status, and the local engine gateway's `x-switchyard-replica`, `-cold-start` and `-queue-ms`
 * headers. A thrown error is recorded (exception event, reason, error status) and rethrown.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_COLD_START,
  ATTR_FUNCTION,
  ATTR_HTTP_METHOD,
  ATTR_HTTP_STATUS,
  ATTR_NODE,
  ATTR_NODE_PATH,
  ATTR_NODE_TYPE,
  ATTR_QUEUE_MS,
  ATTR_REPLICA,
  ATTR_URL_FULL,
  HEADER_COLD_START,
  HEADER_QUEUE_MS,
  HEADER_REPLICA,
} from './attributes.ts';
import { recordSpanError } from './errors.ts';
import { startSpan } from './start-span.ts';
import { TRACER_NAME } from './middleware.ts';

export interface NodeCallTarget {
  node: string;
  type: string;
  function: string;
  /** The Seldon component path: `/predict`, `/transform-input`, … */
  path: string;
  url: string;
}

export interface NodeCallTrace {
  /** Headers to send with the call: the trace context of its span. */
  headers: Record<string, string>;
  /** Reports the function's answer (status, gateway headers) on the span. */
  response(response: Response): void;
}

export async function traceNodeCall<T>(target: NodeCallTarget, run: (call: NodeCallTrace) => Promise<T>, tracer?: Tracer): Promise<T> {
  const parent = context.active();
  const span = startSpan(
    tracer ?? trace.getTracer(TRACER_NAME),
    `call ${target.node} ${target.path}`,
    SpanKind.CLIENT,
    () => ({
      [ATTR_NODE]: target.node,
      [ATTR_NODE_TYPE]: target.type,
      [ATTR_FUNCTION]: target.function,
      [ATTR_NODE_PATH]: target.path,
      [ATTR_HTTP_METHOD]: 'POST',
      [ATTR_URL_FULL]: target.url,
    }),
    parent,
  );
  const active = trace.setSpan(parent, span);
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  try {
    return await context.with(active, () => run({ headers, response: (response) => observe(span, response) }));
  } catch (error) {
    recordSpanError(error, { span, markError: true });
    throw error;
  } finally {
    span.end();
  }
}

function observe(span: Span, response: Response): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_HTTP_STATUS, response.status);
  const replica = response.headers.get(HEADER_REPLICA);
  if (replica !== null) span.setAttribute(ATTR_REPLICA, replica);
  const cold = response.headers.get(HEADER_COLD_START);
  if (cold !== null) span.setAttribute(ATTR_COLD_START, cold === 'true');
  const queued = Number(response.headers.get(HEADER_QUEUE_MS) ?? Number.NaN);
  if (Number.isFinite(queued)) span.setAttribute(ATTR_QUEUE_MS, queued);
  if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${response.status}` });
}
