/**
 * @module What the trace receiver's decoders (OTLP JSON, span batches) give back, and the error for a request body
 * that is not what its content type says (the receiver answers it 400).
 */
import type { StoredSpan } from './types.ts';

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
