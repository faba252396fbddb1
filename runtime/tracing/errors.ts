/** @module How an error is written onto a span: its type, Switchyard's reason, the exception event and status. */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_REASON, ATTR_ERROR_TYPE } from './attributes.ts';

/** `error.type` (the error's class, or its reason) and `switchyard.error.reason` when the error has one. */
export function errorAttributes(error: unknown): Attributes {
  const out: Attributes = {};
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && reason !== '') out[ATTR_ERROR_REASON] = reason;
  out[ATTR_ERROR_TYPE] = typeof reason === 'string' && reason !== '' ? reason : error instanceof Error ? error.name : typeof error;
  return out;
}

/**
 * Records a failure on `span` (default: the active span): an exception event with the message and the error's
 * attributes. The span's status becomes an error when `markError` says so; by default when the error's `status`
 * is a server error (5xx) or unknown, as OpenTelemetry's conventions say for server spans (a 400 is the
 * client's mistake, still recorded as an event).
 */
export function recordSpanError(error: unknown, { span = trace.getActiveSpan(), markError }: { span?: Span | undefined; markError?: boolean } = {}): void {
  if (span === undefined || !span.isRecording()) return;
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setAttributes(errorAttributes(error));
  const code = (error as { status?: unknown } | undefined)?.status;
  if (markError ?? (typeof code !== 'number' || code >= 500)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    described.add(span);
  }
}

const described = new WeakSet<Span>();

/** Whether `recordSpanError` already gave `span` an error status with the error's message. */
export function hasErrorStatus(span: Span): boolean {
  return described.has(span);
}
