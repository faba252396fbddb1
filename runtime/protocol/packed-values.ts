/**
 * @module Tensor values held as typed arrays that still serialise as JSON arrays.
 *
 * Between the orchestrator and its functions a large tensor travels as raw bytes (packed-body.ts) and stays a
 * typed array in memory, so a node that only passes it on never turns it into numbers and back. Wherever such
 * a message is written as JSON after all (a client's response, a log line), `toJSON` gives the plain array —
 * which a bare `Float32Array` would not: `JSON.stringify` writes it as an object keyed by index.
 */

/** Typed arrays are in the machine's byte order; the wire's (packed bodies, V2 raw tensors) is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A Float32Array whose JSON form is an array of numbers. */
export class JsonFloat32Array extends Float32Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

/** A Float64Array whose JSON form is an array of numbers. */
export class JsonFloat64Array extends Float64Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

/** The typed arrays a Seldon tensor's `values` may be held as. */
export type TypedValues = Float32Array | Float64Array;

/** A Seldon tensor's `values`: numbers from JSON, or a typed array from a packed body or a model's output. */
export type TensorValues = number[] | TypedValues;

export function isTypedValues(values: unknown): values is TypedValues {
  return values instanceof Float32Array || values instanceof Float64Array;
}

/** The same memory as a JSON-safe typed array (no copy); JSON-safe arrays come back as they are. */
export function jsonSafe(values: TypedValues): TypedValues {
  if (values instanceof JsonFloat32Array || values instanceof JsonFloat64Array) return values;
  return values instanceof Float32Array
    ? new JsonFloat32Array(values.buffer as ArrayBuffer, values.byteOffset, values.length)
    : new JsonFloat64Array(values.buffer as ArrayBuffer, values.byteOffset, values.length);
}

/** Plain numbers, for code that expects `number[]` (a user's component). */
export function plainValues(values: TensorValues): number[] {
  return Array.isArray(values) ? values : Array.from(values);
}
