/**
 * @module Protocol-correct errors: one typed error that knows its Seldon and Open Inference Protocol (V2) bodies.
 *
 * Everything a function answers with a 4xx/5xx goes through `ProtocolError`. The message is written for a
 * person and names the node and the field; `reason` is a short stable code for programs.
 */
import type { SeldonMessage } from './seldon-types.ts';

/** Short, stable codes carried in `ProtocolError.reason` (Seldon's `status.reason`). */
export const REASONS = {
  invalidJson: 'invalid_json',
  invalidMessage: 'invalid_message',
  invalidRequest: 'invalid_request',
  unsupported: 'unsupported',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  notImplemented: 'not_implemented',
  notReady: 'not_ready',
  draining: 'draining',
  unhealthy: 'unhealthy',
  loadFailed: 'load_failed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  unauthenticated: 'unauthenticated',
  componentError: 'component_error',
  badOutput: 'bad_output',
  internal: 'internal_error',
} as const;

export type Reason = (typeof REASONS)[keyof typeof REASONS] | (string & {});

export interface ProtocolErrorOptions {
  /** HTTP status; 400 when not given. */
  status?: number;
  /** Path of the offending field in the payload, e.g. `data.tensor.values` or `inputs[0].shape`. */
  field?: string;
  /** The graph node the error belongs to. */
  node?: string;
  /** Short code; `invalid_request` for 4xx and `internal_error` for 5xx when not given. */
  reason?: Reason;
  cause?: unknown;
}

/** An error with an HTTP status and both protocol bodies. Never thrown to the process: the host answers it. */
export class ProtocolError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly field?: string;
  readonly node?: string;

  constructor(message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.status = validStatus(options.status) ?? 400;
    this.reason = options.reason ?? (this.status >= 500 ? REASONS.internal : REASONS.invalidRequest);
    if (options.field !== undefined) this.field = options.field;
    if (options.node !== undefined) this.node = options.node;
  }
}

/** The Seldon error body: `{status: {code, info, reason, status: 'FAILURE'}}`, code = HTTP status. */
export function seldonErrorBody(err: ProtocolError): SeldonMessage {
  return { status: { code: err.status, info: err.message, reason: err.reason, status: 'FAILURE' } };
}

/** The Open Inference Protocol error body: `{error: message}`. */
export function v2ErrorBody(err: ProtocolError): { error: string } {
  return { error: err.message };
}

/**
 * Turn any thrown value into a `ProtocolError`:
 * - a `ProtocolError` is kept;
 * - an `Error` with a numeric `status` (400..599) keeps that status, its message and a string `field`
 *   (this is how a model or a user component rejects bad input with a 400);
 * - anything else is a 500 whose message says what was thrown.
 * `node`, when given, is attached to errors that do not name a node yet (the message is prefixed with it).
 */
export function toProtocolError(thrown: unknown, node?: string): ProtocolError {
  let err: ProtocolError;
  if (thrown instanceof ProtocolError) {
    err = thrown;
  } else if (thrown instanceof Error) {
    const record = thrown as Error & { status?: unknown; statusCode?: unknown; field?: unknown; reason?: unknown };
    const status = validStatus(record.status) ?? validStatus(record.statusCode);
    const options: ProtocolErrorOptions = { status: status ?? 500, cause: thrown };
    if (typeof record.field === 'string') options.field = record.field;
    if (typeof record.reason === 'string') options.reason = record.reason;
    const message = status === undefined ? `internal error: ${thrown.message || thrown.name}` : thrown.message;
    err = new ProtocolError(message, options);
  } else {
    err = new ProtocolError(`internal error: a non-Error value was thrown: ${describeThrown(thrown)}`, {
      status: 500,
      cause: thrown,
    });
  }
  return node === undefined || err.node !== undefined ? err : withNode(err, node);
}

/** A copy of `err` that names `node`, its message prefixed with `node "<name>": `. */
export function withNode(err: ProtocolError, node: string): ProtocolError {
  if (err.node !== undefined) return err;
  const options: ProtocolErrorOptions = { status: err.status, reason: err.reason, node, cause: err.cause ?? err };
  if (err.field !== undefined) options.field = err.field;
  const prefix = `node "${node}": `;
  return new ProtocolError(err.message.startsWith(prefix) ? err.message : prefix + err.message, options);
}

export interface ErrorResponse<B> {
  status: number;
  body: B;
}

/** Any thrown value → the HTTP status and Seldon body to answer with. */
export function seldonErrorResponse(thrown: unknown, node?: string): ErrorResponse<SeldonMessage> {
  const err = toProtocolError(thrown, node);
  return { status: err.status, body: seldonErrorBody(err) };
}

/** Whether errors on `path` take the `{error}` form: the Open Inference Protocol's (`/v2…`) and KServe V1's (`/v1/…`). */
export function errorFieldPath(path: string): boolean {
  return path.startsWith('/v2') || path.startsWith('/v1/');
}

/** Any thrown value → the HTTP status and V2 body to answer with. */
export function v2ErrorResponse(thrown: unknown, node?: string): ErrorResponse<{ error: string }> {
  const err = toProtocolError(thrown, node);
  return { status: err.status, body: v2ErrorBody(err) };
}

function validStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599 ? value : undefined;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
