/**
 * @module Decodes an OTLP/HTTP JSON `ExportTraceServiceRequest` into stored spans.
 *
 * Follows OTLP's JSON mapping: ids are hex strings, 64-bit integers may be strings or numbers, enums may be
 * numbers or their names (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`). A request that is not shaped like one is an
 * `TraceRequestError` (the receiver answers 400); a single bad span is rejected on its own, with a message that
 * names its path and field (the receiver answers a partial success, as OTLP says).
 */
import { isObject, keepOrReject, SPAN_KINDS, SPAN_STATUSES, TraceRequestError, type DecodedSpans } from './decoded.ts';
import type { AttributeValue, Attributes, StoredEvent, StoredSpan } from './types.ts';

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;

export function decodeOtlpTraces(body: unknown): DecodedSpans {
  if (!isObject(body)) throw new TraceRequestError('the body is not an ExportTraceServiceRequest: expected a JSON object with "resourceSpans"');
  const resourceSpans = body.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) throw new TraceRequestError('resourceSpans: expected an array');
  const out: DecodedSpans = { spans: [], rejected: 0, errors: [] };
  resourceSpans.forEach((rs: unknown, r: number) => {
    const at = `resourceSpans[${r}]`;
    if (!isObject(rs)) throw new TraceRequestError(`${at}: expected an object`);
    const resource = isObject(rs.resource) ? attributesOf(rs.resource.attributes, `${at}.resource.attributes`) : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown';
    const scopeSpans = rs.scopeSpans ?? [];
    if (!Array.isArray(scopeSpans)) throw new TraceRequestError(`${at}.scopeSpans: expected an array`);
    scopeSpans.forEach((ss: unknown, s: number) => {
      if (!isObject(ss)) throw new TraceRequestError(`${at}.scopeSpans[${s}]: expected an object`);
      const spans = ss.spans ?? [];
      if (!Array.isArray(spans)) throw new TraceRequestError(`${at}.scopeSpans[${s}].spans: expected an array`);
      spans.forEach((span: unknown, i: number) => {
        keepOrReject(out, () => spanOf(span, service, `${at}.scopeSpans[${s}].spans[${i}]`));
      });
    });
  });
  return out;
}

function spanOf(raw: unknown, service: string, path: string): StoredSpan {
  if (!isObject(raw)) throw new Error(`${path}: expected a span object`);
  const traceId = id(raw.traceId, HEX_32, `${path}.traceId`, '32 hex digits, not all zero');
  const spanId = id(raw.spanId, HEX_16, `${path}.spanId`, '16 hex digits, not all zero');
  const parent = raw.parentSpanId === undefined || raw.parentSpanId === '' ? undefined : id(raw.parentSpanId, HEX_16, `${path}.parentSpanId`, '16 hex digits or ""');
  const startMs = nanosToMs(raw.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const endMs = nanosToMs(raw.endTimeUnixNano, `${path}.endTimeUnixNano`);
  if (endMs < startMs) throw new Error(`${path}.endTimeUnixNano: ends before it starts`);
  const status = isObject(raw.status) ? raw.status : {};
  const statusName = enumOf(status.code, SPAN_STATUSES, 'STATUS_CODE_', `${path}.status.code`);
  const events: StoredEvent[] = [];
  if (raw.events !== undefined) {
    if (!Array.isArray(raw.events)) throw new Error(`${path}.events: expected an array`);
    raw.events.forEach((event: unknown, e: number) => {
      if (!isObject(event)) throw new Error(`${path}.events[${e}]: expected an object`);
      events.push({
        name: typeof event.name === 'string' ? event.name : '',
        timeMs: nanosToMs(event.timeUnixNano, `${path}.events[${e}].timeUnixNano`),
        attributes: attributesOf(event.attributes, `${path}.events[${e}].attributes`),
      });
    });
  }
  return {
    traceId,
    spanId,
    ...(parent === undefined ? {} : { parentSpanId: parent }),
    name: typeof raw.name === 'string' ? raw.name : '',
    kind: enumOf(raw.kind, SPAN_KINDS, 'SPAN_KIND_', `${path}.kind`),
    service,
    startMs,
    endMs,
    status: statusName,
    ...(typeof status.message === 'string' && status.message !== '' ? { statusMessage: status.message } : {}),
    attributes: attributesOf(raw.attributes, `${path}.attributes`),
    events,
  };
}

function id(value: unknown, pattern: RegExp, path: string, expected: string): string {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (!pattern.test(text) || /^0+$/.test(text)) throw new Error(`${path}: expected ${expected}; received ${JSON.stringify(value)}`);
  return text;
}

function nanosToMs(value: unknown, path: string): number {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return Number(BigInt(value) / 1000n) / 1000;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value / 1e6;
  throw new Error(`${path}: expected nanoseconds since the epoch (a decimal string or number); received ${JSON.stringify(value)}`);
}

function enumOf<T extends string>(value: unknown, names: readonly T[], prefix: string, path: string): T {
  if (value === undefined || value === null) return names[0]!;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value]!;
  if (typeof value === 'string') {
    const name = value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : undefined;
    const found = names.find((n) => n === name);
    if (found !== undefined) return found;
  }
  throw new Error(`${path}: expected 0 to ${names.length - 1} or ${prefix}*; received ${JSON.stringify(value)}`);
}

function attributesOf(raw: unknown, path: string): Attributes {
  const out: Attributes = {};
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw new Error(`${path}: expected an array of {key, value}`);
  raw.forEach((kv: unknown, i: number) => {
    if (!isObject(kv) || typeof kv.key !== 'string') throw new Error(`${path}[${i}]: expected {key: string, value: AnyValue}`);
    if (kv.key === '__proto__') return;
    out[kv.key] = anyValue(kv.value, `${path}[${i}].value`);
  });
  return out;
}

function anyValue(raw: unknown, path: string): AttributeValue {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw new Error(`${path}: expected an AnyValue object`);
  if ('stringValue' in raw) return String(raw.stringValue);
  if ('boolValue' in raw) return raw.boolValue === true || raw.boolValue === 'true';
  if ('intValue' in raw) {
    const n = Number(raw.intValue);
    if (!Number.isFinite(n)) throw new Error(`${path}.intValue: expected an integer; received ${JSON.stringify(raw.intValue)}`);
    return n;
  }
  if ('doubleValue' in raw) {
    // JSON has no Infinity or NaN: an exporter writes null (or a string); keep it readable.
    const n = typeof raw.doubleValue === 'number' ? raw.doubleValue : Number(raw.doubleValue);
    return Number.isFinite(n) ? n : raw.doubleValue === null ? null : String(raw.doubleValue);
  }
  if ('arrayValue' in raw) {
    const values = isObject(raw.arrayValue) ? raw.arrayValue.values ?? [] : [];
    if (!Array.isArray(values)) throw new Error(`${path}.arrayValue.values: expected an array`);
    return values.map((v: unknown, i: number) => anyValue(v, `${path}.arrayValue.values[${i}]`));
  }
  if ('kvlistValue' in raw) {
    const values = isObject(raw.kvlistValue) ? raw.kvlistValue.values : [];
    return attributesOf(values, `${path}.kvlistValue.values`);
  }
  if ('bytesValue' in raw) return String(raw.bytesValue);
  return null;
}

