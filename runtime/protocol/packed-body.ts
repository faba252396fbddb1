/**
 * @module Packed Seldon bodies: how the orchestrator and its functions pass tensors without re-encoding them.
 *
 * A body is a JSON header followed by raw little-endian tensor bytes, like the Open Inference Protocol's
 * binary extension (v2-binary.ts):
 *
 * - `Content-Type: application/vnd.switchyard.packed`, and `X-Switchyard-Json-Length` the header's length;
 * - in the header, each packed tensor's `values` is `{"$packed": {"datatype": "FP32" | "FP64", "offset", "count"}}`
 *   (`offset` in bytes from the end of the header; header and tensors are padded to 8 bytes so that the
 *   receiver can view the values in place);
 * - the tensors packed are `data.tensor.values` of the message, of each `seldonMessages[i]` (`/aggregate`) and
 *   of a feedback's `request`, `response` and `truth`: every typed array, and plain number arrays of at least
 *   `PACK_MIN_VALUES` (as FP64, so no number changes on the way).
 *
 * The orchestrator sends a packed body only when there is a tensor to pack and asks for packed answers with
 * `Accept`; every function still speaks plain JSON to everyone else. A malformed packed body is a 400 that
 * names the header or the field.
 */
import { ProtocolError, REASONS } from './errors.ts';
import { assertSafeJson } from './json-guard.ts';
import { JsonFloat32Array, JsonFloat64Array, LITTLE_ENDIAN, isTypedValues, jsonSafe, type TypedValues } from './packed-values.ts';

export const PACKED_CONTENT_TYPE = 'application/vnd.switchyard.packed';
/** Lower-cased, as node:http and `Headers` give it. */
export const PACKED_JSON_LENGTH_HEADER = 'x-switchyard-json-length';
/** Plain number arrays shorter than this go as JSON: for a few values JSON is as cheap and easier to read. */
export const PACK_MIN_VALUES = 1024;

const PACKED_KEY = '$packed';
const ELEMENT_BYTES = { FP32: 4, FP64: 8 } as const;
type PackedDatatype = keyof typeof ELEMENT_BYTES;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export interface PackedBody {
  /** Header and tensors, ready to send. */
  bytes: Uint8Array;
  /** The value of `X-Switchyard-Json-Length`. */
  headerLength: number;
}

interface SeldonLike {
  data?: { tensor?: { shape?: unknown; values?: unknown } };
}

/** The body packed, or undefined when it has no tensor worth packing (send it as JSON). */
export function packBody(body: unknown, minValues = PACK_MIN_VALUES): PackedBody | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const tensors: TypedValues[] = [];
  let offset = 0;
  const header = mapMessages(body, (message) => {
    const tensor = message.data?.tensor;
    const typed = tensor === undefined ? undefined : packable(tensor.values, minValues);
    if (tensor === undefined || typed === undefined) return message;
    const datatype: PackedDatatype = typed instanceof Float32Array ? 'FP32' : 'FP64';
    const values = { [PACKED_KEY]: { datatype, offset, count: typed.length } };
    tensors.push(typed);
    offset += padded(typed.byteLength);
    return { ...message, data: { ...message.data, tensor: { ...tensor, values } } };
  });
  if (tensors.length === 0) return undefined;
  // The header is padded with spaces to a multiple of 8 bytes, so the tensors after it stay aligned.
  const text = JSON.stringify(header);
  const headerLength = padded(Buffer.byteLength(text));
  const bytes = new Uint8Array(headerLength + offset);
  const written = utf8Encoder.encodeInto(text, bytes).written;
  bytes.fill(0x20, written, headerLength);
  let at = headerLength;
  for (const typed of tensors) {
    bytes.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), at);
    at += padded(typed.byteLength);
  }
  return { bytes, headerLength };
}

/** A packed body → the message (or list, or feedback) with its tensors' values as typed arrays. */
export function unpackBody(bytes: Uint8Array, headerLength: string | null | undefined): unknown {
  const text = (headerLength ?? '').trim();
  const length = Number(text);
  if (!/^\d+$/.test(text) || length === 0 || length > bytes.byteLength) {
    throw bad(
      `${PACKED_JSON_LENGTH_HEADER}: expected the length in bytes of the JSON at the start of the packed body (1 to ${bytes.byteLength}), received ${JSON.stringify(headerLength ?? null)}`,
      PACKED_JSON_LENGTH_HEADER,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(utf8Decoder.decode(bytes.subarray(0, length)));
  } catch (error) {
    throw bad(`the first ${length} bytes of the packed body are not valid JSON: ${(error as Error).message}`, PACKED_JSON_LENGTH_HEADER);
  }
  assertSafeJson(header);
  const tensorBytes = bytes.subarray(length);
  return mapMessages(header, (message, path) => {
    const tensor = message.data?.tensor;
    const placeholder = (tensor?.values as Record<string, unknown> | null | undefined)?.[PACKED_KEY];
    if (tensor === undefined || placeholder === undefined) return message;
    tensor.values = view(tensorBytes, placeholder, `${path}data.tensor.values.${PACKED_KEY}`);
    return message;
  });
}

/**
 * The body with every typed-array `values` JSON-safe (packed-values.ts), for answers written as JSON: a
 * component may return a bare Float32Array. Changes the messages in place; returns the body.
 */
export function withJsonSafeValues<T>(body: T): T {
  mapMessages(body, (message) => {
    const tensor = message.data?.tensor;
    if (tensor !== undefined && isTypedValues(tensor.values)) tensor.values = jsonSafe(tensor.values);
    return message;
  });
  return body;
}

/** The body with every typed-array `values` as plain numbers, for user code that expects `number[]`. In place. */
export function withPlainValues<T>(body: T): T {
  mapMessages(body, (message) => {
    const tensor = message.data?.tensor;
    if (tensor !== undefined && isTypedValues(tensor.values)) tensor.values = Array.from(tensor.values);
    return message;
  });
  return body;
}

/** Whether a Content-Type header announces a packed body. */
export function isPackedContentType(header: string | null | undefined): boolean {
  return header !== null && header !== undefined && header.toLowerCase().startsWith(PACKED_CONTENT_TYPE);
}

/** Whether an Accept header asks for packed answers. */
export function acceptsPacked(header: string | null | undefined): boolean {
  return header !== null && header !== undefined && header.toLowerCase().includes(PACKED_CONTENT_TYPE);
}

function packable(values: unknown, minValues: number): TypedValues | undefined {
  if (isTypedValues(values)) return values;
  if (!Array.isArray(values) || values.length < minValues) return undefined;
  const typed = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    // Not all finite numbers: leave it to JSON, so that the receiver's validation names the bad value.
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    typed[i] = v;
  }
  return typed;
}

function view(bytes: Uint8Array, placeholder: unknown, field: string): TypedValues {
  const { datatype, offset, count } = (placeholder ?? {}) as { datatype?: unknown; offset?: unknown; count?: unknown };
  if (datatype !== 'FP32' && datatype !== 'FP64') throw bad(`${field}.datatype: expected "FP32" or "FP64", received ${JSON.stringify(datatype)}`, field);
  for (const [name, value] of [['offset', offset], ['count', count]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw bad(`${field}.${name}: expected a non-negative integer, received ${JSON.stringify(value)}`, field);
    }
  }
  const size = ELEMENT_BYTES[datatype];
  const start = offset as number;
  const end = start + (count as number) * size;
  if (end > bytes.byteLength) {
    throw bad(`${field}: ${count} ${datatype} values at offset ${start} need ${end} bytes after the header, the body has ${bytes.byteLength}`, field);
  }
  const Typed = datatype === 'FP32' ? JsonFloat32Array : JsonFloat64Array;
  const at = bytes.byteOffset + start;
  // In place when aligned (the sender pads to 8 bytes); a copy otherwise (`new Uint8Array(view)` copies, where
  // a Buffer's `slice` would not).
  if (at % size === 0) return new Typed(bytes.buffer as ArrayBuffer, at, count as number);
  return new Typed(new Uint8Array(bytes.subarray(start, end)).buffer);
}

/**
 * Applies `fn` to each Seldon message of a body: the body itself, each `seldonMessages[i]`, and a feedback's
 * `request`, `response` and `truth`. Returns the body with the messages `fn` returned (a new object only where
 * one changed).
 */
function mapMessages(body: unknown, fn: (message: SeldonLike, path: string) => SeldonLike): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  let record = body as Record<string, unknown>;
  const replace = (key: string, value: unknown) => {
    if (record === body) record = { ...record };
    record[key] = value;
  };
  const list = record['seldonMessages'];
  if (Array.isArray(list)) {
    let changed = false;
    const mapped = list.map((m: unknown, i) => {
      if (m === null || typeof m !== 'object') return m;
      const out = fn(m as SeldonLike, `seldonMessages[${i}].`);
      changed ||= out !== m;
      return out;
    });
    if (changed) replace('seldonMessages', mapped);
  }
  for (const key of ['request', 'response', 'truth']) {
    const m = record[key];
    if (m === null || typeof m !== 'object') continue;
    const out = fn(m as SeldonLike, `${key}.`);
    if (out !== m) replace(key, out);
  }
  const self = fn(record as SeldonLike, '');
  return self;
}

function padded(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { reason: REASONS.invalidMessage, field });
}
