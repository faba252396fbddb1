/**
 * @module Calling user code safely: whatever it throws becomes a `ProtocolError` naming the node, the method
 * and the file. A thrown error with a numeric 4xx `status` keeps it (that is how a component rejects bad
 * input with a 400); anything else is a 500.
 */
import { ProtocolError, REASONS } from '../protocol/errors.ts';

export interface CallSite {
  node: string;
  method: string;
  file: string;
}

export async function callUser<T>(site: CallSite, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (thrown) {
    throw userError(site, thrown);
  }
}

/** Synchronous variant, for `classNames()`, `tags()` and `metrics()`. */
export function callUserSync<T>(site: CallSite, fn: () => T): T {
  try {
    return fn();
  } catch (thrown) {
    throw userError(site, thrown);
  }
}

export function userError(site: CallSite, thrown: unknown): ProtocolError {
  const record = (thrown ?? {}) as { status?: unknown; field?: unknown; message?: unknown };
  const status = typeof record.status === 'number' && Number.isInteger(record.status) ? record.status : undefined;
  const text = thrown instanceof Error ? thrown.message || thrown.name : `a non-Error value was thrown: ${safeString(thrown)}`;
  const field = typeof record.field === 'string' ? record.field : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    const reason = thrown instanceof ProtocolError ? thrown.reason : REASONS.invalidRequest;
    const options: ConstructorParameters<typeof ProtocolError>[1] = { status, reason, node: site.node, cause: thrown };
    if (field !== undefined) options.field = field;
    return new ProtocolError(`node "${site.node}": ${site.method} rejected the request: ${text}`, options);
  }
  const options: ConstructorParameters<typeof ProtocolError>[1] = { status: 500, reason: REASONS.componentError, node: site.node, cause: thrown };
  if (field !== undefined) options.field = field;
  return new ProtocolError(`node "${site.node}": ${site.method} in ${site.file} threw: ${text}`, options);
}

/** A result the wrapper cannot encode (e.g. NaN): a 500 that says which method returned it. */
export function badOutput(site: CallSite, thrown: unknown): ProtocolError {
  const text = thrown instanceof Error ? thrown.message : safeString(thrown);
  const options: ConstructorParameters<typeof ProtocolError>[1] = { status: 500, reason: REASONS.badOutput, node: site.node, cause: thrown };
  if (thrown instanceof ProtocolError && thrown.field !== undefined) options.field = thrown.field;
  return new ProtocolError(`node "${site.node}": ${site.method} in ${site.file} returned a value that cannot be sent: ${text}`, options);
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
