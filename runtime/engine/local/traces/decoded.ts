/**
 * @module What the trace receiver's decoders (OTLP JSON, span batches) share: what they give back, the error for a
 * request body that is not what its content type says (the receiver answers it 400), the kind and status names in
 * OTLP's numbering, and the step that keeps a span or counts it rejected with its message.
 */
import type { SpanKindName, SpanStatusName, StoredSpan } from './types.ts';

export class TraceRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceRequestError';
  }
}

export interface DecodedSpans {
  spans: StoredSpan[];
  rejected: number;
  /** One line per rejected span (the first few). */
  errors: string[];
}

/** Span kinds and statuses by their OTLP numbers. */
export const SPAN_KINDS: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const SPAN_STATUSES: readonly SpanStatusName[] = ['unset', 'ok', 'error'];

/** How many rejected spans' messages an answer carries. */
const MAX_ERRORS = 5;

/** Adds the span `decode` makes, or counts it rejected with its error's message (the first few). */
export function keepOrReject(out: DecodedSpans, decode: () => StoredSpan): void {
  try {
    out.spans.push(decode());
  } catch (error) {
    out.rejected++;
    if (out.errors.length < MAX_ERRORS) out.errors.push((error as Error).message);
  }
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
