/**
 * @module Tensors as raw bytes, the layout the Open Inference Protocol uses for gRPC's `raw_input_contents` /
 * `raw_output_contents` and for the REST binary tensor data extension: row-major, little-endian, BOOL one
 * byte (0 or 1), FP16 IEEE half, BYTES each element a 4-byte little-endian length followed by its bytes.
 *
 * Decoding checks the byte count against the shape before allocating anything, so a shape such as
 * `[1000000000000]` costs nothing; values JSON cannot carry (NaN, ±Infinity, 64-bit integers beyond 2^53-1,
 * BYTES that are not UTF-8 text) are a 400 naming the element, because the graph runs on JSON.
 */
import { shapeProduct } from './_arrays.ts';
import { describeValue } from './_issues.ts';
import { ProtocolError, REASONS } from './errors.ts';
import { isDatatype, unknownDatatypeMessage } from './v2-datatypes.ts';
import type { Datatype, TensorElement } from './v2-types.ts';
import { JsonFloat32Array, JsonFloat64Array, LITTLE_ENDIAN, type TypedValues } from './packed-values.ts';

/** Bytes per element of each fixed-size datatype. */
export const ELEMENT_BYTES: Readonly<Record<Exclude<Datatype, 'BYTES'>, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Raw bytes → flat elements of `datatype` (numbers, booleans or strings). FP32 and FP64 stay typed arrays
 * (JSON-safe, packed-values.ts): the orchestrator sends them on to a model as bytes, never as numbers in JSON.
 * `field` names the raw buffer in error messages (e.g. `raw_input_contents[0]`).
 */
export function decodeRawTensor(bytes: Uint8Array, datatype: unknown, shape: readonly unknown[], field: string): TensorElement[] | TypedValues {
  if (!isDatatype(datatype)) throw bad(`${field}: ${unknownDatatypeMessage(datatype)}`, field);
  shape.forEach((dim, d) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw bad(`${field}: shape[${d}]: expected a non-negative integer dimension, received ${describeValue(dim)}`, field);
    }
  });
  const count = shapeProduct(shape as number[]);
  if (datatype === 'BYTES') return decodeBytesElements(bytes, count, field);
  const size = ELEMENT_BYTES[datatype];
  if (bytes.byteLength !== count * size) {
    throw bad(
      `${field}: expected ${count * size} bytes (${count} ${datatype} element(s) of ${size} byte(s), shape [${shape.join(',')}]), received ${bytes.byteLength}`,
      field,
    );
  }
  if (LITTLE_ENDIAN && (datatype === 'FP32' || datatype === 'FP64')) {
    // A copy (its own, aligned memory), then NaN and infinities refused as for every other path.
    const copy = new Uint8Array(bytes);
    const typed = datatype === 'FP32' ? new JsonFloat32Array(copy.buffer, 0, count) : new JsonFloat64Array(copy.buffer, 0, count);
    for (let i = 0; i < count; i++) finite(typed[i]!, field, i);
    return typed;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: TensorElement[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    out[i] = readElement(view, at, datatype, field, i);
  }
  return out;
}

function readElement(view: DataView, at: number, datatype: Exclude<Datatype, 'BYTES'>, field: string, i: number): TensorElement {
  switch (datatype) {
    case 'BOOL': {
      const byte = view.getUint8(at);
      if (byte > 1) throw bad(`${field}: element ${i}: expected 0 or 1 for BOOL, received byte ${byte}`, field);
      return byte === 1;
    }
    case 'UINT8':
      return view.getUint8(at);
    case 'INT8':
      return view.getInt8(at);
    case 'UINT16':
      return view.getUint16(at, true);
    case 'INT16':
      return view.getInt16(at, true);
    case 'UINT32':
      return view.getUint32(at, true);
    case 'INT32':
      return view.getInt32(at, true);
    case 'UINT64':
    case 'INT64': {
      const big = datatype === 'UINT64' ? view.getBigUint64(at, true) : view.getBigInt64(at, true);
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw bad(`${field}: element ${i}: ${big} is beyond ±(2^53-1), which JSON numbers carry exactly`, field);
      }
      return Number(big);
    }
    case 'FP16':
      return finite(halfToNumber(view.getUint16(at, true)), field, i);
    case 'FP32':
      return finite(view.getFloat32(at, true), field, i);
    case 'FP64':
      return finite(view.getFloat64(at, true), field, i);
  }
}

function decodeBytesElements(bytes: Uint8Array, count: number, field: string): string[] {
  // Each element takes at least its 4-byte length, so more elements than that cannot be present.
  if (count > Math.floor(bytes.byteLength / 4)) {
    throw bad(`${field}: expected ${count} BYTES element(s) (each a 4-byte length and its bytes), but only ${bytes.byteLength} byte(s) were sent`, field);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    if (at + 4 > bytes.byteLength) throw bad(`${field}: element ${out.length}: the 4-byte length prefix is cut short at byte ${at}`, field);
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.byteLength) {
      throw bad(`${field}: element ${out.length}: its length prefix says ${length} byte(s) but only ${bytes.byteLength - at} remain`, field);
    }
    try {
      out.push(utf8.decode(bytes.subarray(at, at + length)));
    } catch {
      throw bad(`${field}: element ${out.length}: BYTES must be UTF-8 text here (the graph carries them as JSON strings)`, field);
    }
    at += length;
    if (out.length > count) break;
  }
  if (out.length !== count) throw bad(`${field}: expected ${count} BYTES element(s) (the product of the shape), received ${out.length}`, field);
  return out;
}

/** Flat elements (already checked against `datatype`) → raw bytes. */
export function encodeRawTensor(data: readonly TensorElement[], datatype: Datatype): Uint8Array {
  if (datatype === 'BYTES') {
    const parts = data.map((v) => utf8Encoder.encode(String(v)));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.byteLength, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const part of parts) {
      view.setUint32(at, part.byteLength, true);
      out.set(part, at + 4);
      at += 4 + part.byteLength;
    }
    return out;
  }
  const size = ELEMENT_BYTES[datatype];
  const out = new Uint8Array(data.length * size);
  const view = new DataView(out.buffer);
  data.forEach((value, i) => writeElement(view, i * size, datatype, value));
  return out;
}

function writeElement(view: DataView, at: number, datatype: Exclude<Datatype, 'BYTES'>, value: TensorElement): void {
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
      return view.setUint8(at, n);
    case 'INT8':
      return view.setInt8(at, n);
    case 'UINT16':
      return view.setUint16(at, n, true);
    case 'INT16':
      return view.setInt16(at, n, true);
    case 'UINT32':
      return view.setUint32(at, n, true);
    case 'INT32':
      return view.setInt32(at, n, true);
    case 'UINT64':
      return view.setBigUint64(at, BigInt(n), true);
    case 'INT64':
      return view.setBigInt64(at, BigInt(n), true);
    case 'FP16':
      return view.setUint16(at, numberToHalf(n), true);
    case 'FP32':
      return view.setFloat32(at, n, true);
    case 'FP64':
      return view.setFloat64(at, n, true);
  }
}

/** IEEE 754 half-precision bits → number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** number → IEEE 754 half-precision bits, rounding to nearest, ties to even (as `Math.f16round`). */
export function numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundHalfEven(a / 2 ** -24); // subnormal (1024 rounds up into the smallest normal)
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  let mantissa = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function finite(value: number, field: string, i: number): number {
  if (Number.isFinite(value)) return value;
  throw bad(`${field}: element ${i} is ${String(value)}; the graph carries tensors as JSON, which has no NaN or Infinity`, field);
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { status: 400, reason: REASONS.invalidRequest, field });
}
