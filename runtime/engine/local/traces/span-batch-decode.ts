/**
 * @module Decodes a span batch (runtime/tracing/span-batch.ts: what the engine's own functions send) into stored
 * spans.
 *
 * As with OTLP (./otlp-json.ts): a body not shaped like a batch is a `TraceRequestError` (the receiver answers
 * 400); a single bad span is rejected on its own with a message naming its index and field, and the rest are kept.
 */
import { SPAN_BATCH_VERSION } from '../../../tracing/span-batch.ts';
import { isObject, keepOrReject, SPAN_KINDS, SPAN_STATUSES, TraceRequestError, type DecodedSpans } from './decoded.ts';
import type { AttributeValue, Attributes, StoredEvent, StoredSpan } from './types.ts';

const HEX_32 = /^(?!0{32})[0-9a-f]{32}$/;
const HEX_16 = /^(?!0{16})[0-9a-f]{16}$/;
const FIELDS = 11;

export function decodeSpanBatch(body: unknown): DecodedSpans {
  if (!isObject(body)) throw new TraceRequestError('the body is not a span batch: expected a JSON object with "v", "service" and "spans"');
  if (body.v !== SPAN_BATCH_VERSION) throw new TraceRequestError(`v: expected ${SPAN_BATCH_VERSION} (the span batch version this engine reads); received ${JSON.stringify(body.v)}`);
  if (typeof body.service !== 'string' || body.service === '') throw new TraceRequestError('service: expected the service name, a non-empty string');
  if (!Array.isArray(body.spans)) throw new TraceRequestError('spans: expected an array');
  const service = body.service;
  const out: DecodedSpans = { spans: [], rejected: 0, errors: [] };
  const spans: unknown[] = body.spans;
  for (let i = 0; i < spans.length; i++) keepOrReject(out, () => spanOf(spans[i], service, `spans[${i}]`));
  return out;
}

function spanOf(raw: unknown, service: string, path: string): StoredSpan {
  if (!Array.isArray(raw) || raw.length !== FIELDS) throw new Error(`${path}: expected an array of ${FIELDS} fields [traceId, spanId, parentSpanId, name, kind, startMs, endMs, status, statusMessage, attributes, events]`);
  const [traceId, spanId, parent, name, kind, startMs, endMs, status, statusMessage, attributes, events] = raw as unknown[];
  if (typeof traceId !== 'string' || !HEX_32.test(traceId)) throw new Error(`${path}[0] (traceId): expected 32 lowercase hex digits, not all zero; received ${JSON.stringify(traceId)}`);
  if (typeof spanId !== 'string' || !HEX_16.test(spanId)) throw new Error(`${path}[1] (spanId): expected 16 lowercase hex digits, not all zero; received ${JSON.stringify(spanId)}`);
  if (parent !== null && (typeof parent !== 'string' || !HEX_16.test(parent))) throw new Error(`${path}[2] (parentSpanId): expected 16 lowercase hex digits or null; received ${JSON.stringify(parent)}`);
  if (typeof name !== 'string') throw new Error(`${path}[3] (name): expected a string; received ${JSON.stringify(name)}`);
  const start = millis(startMs, `${path}[5] (startMs)`);
  const end = millis(endMs, `${path}[6] (endMs)`);
  if (end < start) throw new Error(`${path}[6] (endMs): ends before it starts`);
  if (statusMessage !== null && typeof statusMessage !== 'string') throw new Error(`${path}[8] (statusMessage): expected a string or null; received ${JSON.stringify(statusMessage)}`);
  if (!Array.isArray(events)) throw new Error(`${path}[10] (events): expected an array of [name, timeMs, attributes]`);
  const stored: StoredSpan = {
    traceId,
    spanId,
    ...(parent === null ? {} : { parentSpanId: parent }),
    name,
    kind: enumOf(kind, SPAN_KINDS, `${path}[4] (kind)`),
    service,
    startMs: start,
    endMs: end,
    status: enumOf(status, SPAN_STATUSES, `${path}[7] (status)`),
    ...(statusMessage === null || statusMessage === '' ? {} : { statusMessage }),
    attributes: attributesOf(attributes, `${path}[9] (attributes)`),
    events: events.map((event: unknown, e: number): StoredEvent => {
      const at = `${path}[10][${e}]`;
      if (!Array.isArray(event) || event.length !== 3 || typeof event[0] !== 'string') throw new Error(`${at}: expected [name, timeMs, attributes]`);
      return { name: event[0], timeMs: millis(event[1], `${at}[1] (timeMs)`), attributes: attributesOf(event[2], `${at}[2] (attributes)`) };
    }),
  };
  return stored;
}

function millis(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new Error(`${path}: expected milliseconds since the epoch, a number; received ${JSON.stringify(value)}`);
}

function enumOf<T extends string>(value: unknown, names: readonly T[], path: string): T {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value]!;
  throw new Error(`${path}: expected an integer from 0 to ${names.length - 1}; received ${JSON.stringify(value)}`);
}

/** A plain object of attribute values (what the SDK records: strings, numbers, booleans and arrays of them). */
function attributesOf(raw: unknown, path: string): Attributes {
  if (!isObject(raw)) throw new Error(`${path}: expected an object of attribute values`);
  for (const key in raw) {
    if (!isValue(raw[key])) throw new Error(`${path}.${key}: expected a string, number, boolean, null or an array of them; received ${JSON.stringify(raw[key])}`);
  }
  // JSON.parse makes "__proto__" an own property, never the prototype; a copy without it keeps it that way.
  if (Object.hasOwn(raw, '__proto__')) {
    const { ['__proto__']: _dropped, ...rest } = raw;
    return rest as Attributes;
  }
  return raw as Attributes;
}

function isValue(value: unknown): value is AttributeValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      return Array.isArray(value) && value.every((item) => item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean');
    default:
      return false;
  }
}

