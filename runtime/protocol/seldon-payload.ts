/**
 * @module A Seldon message's payload as a plain JS value (`X`) and back, in the form the request came in.
 *
 * | form       | X                                                        |
 * |------------|----------------------------------------------------------|
 * | `tensor`   | nested number arrays reshaped by `shape` (`[]` → a number) |
 * | `ndarray`  | the ndarray as it is                                     |
 * | `jsonData` | the JSON value                                           |
 * | `strData`  | the string                                               |
 * | `binData`  | a `Uint8Array` decoded from base64                       |
 */
import { Buffer } from 'node:buffer';
import { findNotRectangular, flattenInto, leadingShape, reshape } from './_arrays.ts';
import { formatPath } from './_issues.ts';
import { ProtocolError, REASONS } from './errors.ts';
import type { SeldonMessage } from './seldon-types.ts';

export type PayloadForm = 'tensor' | 'ndarray' | 'jsonData' | 'strData' | 'binData';

export interface Payload {
  X: unknown;
  form: PayloadForm;
}

/** The payload of a (validated) message. Throws a 400 when the message carries none. */
export function messageToX(message: SeldonMessage): Payload {
  const data = message.data;
  if (data?.tensor !== undefined) return { X: reshape(data.tensor.values, data.tensor.shape), form: 'tensor' };
  if (data?.ndarray !== undefined) return { X: data.ndarray, form: 'ndarray' };
  if ('jsonData' in message && message.jsonData !== undefined) return { X: message.jsonData, form: 'jsonData' };
  if (message.strData !== undefined) return { X: message.strData, form: 'strData' };
  if (message.binData !== undefined) return { X: base64ToBytes(message.binData), form: 'binData' };
  const field = data === undefined ? undefined : 'data';
  throw new ProtocolError(
    `${field === undefined ? 'message' : 'data'}: expected a payload (data.tensor, data.ndarray, jsonData, strData or binData), received none`,
    field === undefined ? { reason: REASONS.invalidMessage } : { reason: REASONS.invalidMessage, field },
  );
}

/**
 * Encode a value as a message payload, preferring `form`:
 * - `Uint8Array` (and `Buffer`) → `binData` (base64), whatever the form;
 * - form `jsonData` → `jsonData`;
 * - a string → `strData`;
 * - a number or rectangular nested number arrays (or typed arrays) → `data.tensor` when the form is `tensor`,
 *   else `data.ndarray` (a lone number becomes `[n]`);
 * - other arrays → `data.ndarray`; booleans, objects and null → `jsonData`.
 * `names`, when non-empty, becomes `data.names` of a data payload. Non-finite numbers and values JSON cannot
 * carry are a 500 `bad_output` error naming where they are.
 */
export function xToMessage(X: unknown, form: PayloadForm, names?: readonly string[]): SeldonMessage {
  if (X instanceof Uint8Array) return { binData: bytesToBase64(X) };
  const value = ArrayBuffer.isView(X) ? Array.from(X as unknown as ArrayLike<number>) : X;
  if (form === 'jsonData') {
    assertJsonValue(value, 'jsonData');
    return { jsonData: value };
  }
  if (typeof value === 'string') return { strData: value };
  if (typeof value === 'number' || Array.isArray(value)) {
    const array = typeof value === 'number' ? undefined : normaliseTypedArrays(value);
    const withNames = (message: SeldonMessage): SeldonMessage => {
      if (names !== undefined && names.length > 0 && message.data !== undefined) message.data.names = [...names];
      return message;
    };
    if (form === 'tensor') {
      if (typeof value === 'number') {
        assertFinite(value, 'data.tensor.values[0]');
        return withNames({ data: { tensor: { shape: [], values: [value] } } });
      }
      const shape = leadingShape(array);
      if (findNotRectangular(array, shape, (leaf) => typeof leaf === 'number', 'numbers', []) === undefined) {
        const values: unknown[] = [];
        flattenInto(array, values);
        for (let i = 0; i < values.length; i++) {
          if (!Number.isFinite(values[i])) assertFinite(values[i] as number, `data.tensor.values[${i}]`);
        }
        return withNames({ data: { tensor: { shape, values: values as number[] } } });
      }
    }
    const ndarray = array ?? [value];
    assertJsonValue(ndarray, 'data.ndarray');
    return withNames({ data: { ndarray } });
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'object') {
    assertJsonValue(value, 'jsonData');
    return { jsonData: value };
  }
  throw new ProtocolError(
    `expected a result that can be sent as a Seldon payload (number, array, string, Uint8Array or a JSON value), received ${value === undefined ? 'undefined' : typeof value}`,
    { status: 500, reason: REASONS.badOutput },
  );
}

export function base64ToBytes(text: string): Uint8Array {
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function normaliseTypedArrays(array: unknown[]): unknown[] {
  let changed = false;
  const out = array.map((item) => {
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      changed = true;
      return Array.from(item as unknown as ArrayLike<number>);
    }
    if (Array.isArray(item)) {
      const inner = normaliseTypedArrays(item);
      if (inner !== item) changed = true;
      return inner;
    }
    return item;
  });
  return changed ? out : array;
}

function assertFinite(value: number, field: string): void {
  if (!Number.isFinite(value)) {
    throw new ProtocolError(`${field}: result is ${String(value)}; JSON cannot carry NaN or Infinity`, {
      status: 500,
      reason: REASONS.badOutput,
      field,
    });
  }
}

/** Throws a 500 naming the first value inside `value` that JSON cannot carry (NaN, Infinity, functions, bigint, cycles). */
function assertJsonValue(value: unknown, base: string): void {
  const seen = new Set<object>();
  const path: (string | number)[] = [];
  const fail = (problem: string): never => {
    const rest = formatPath(path);
    const field = path.length === 0 ? base : `${base}${rest.startsWith('[') ? '' : '.'}${rest}`;
    throw new ProtocolError(`${field}: result ${problem}`, { status: 500, reason: REASONS.badOutput, field });
  };
  const visit = (node: unknown, inArray: boolean): void => {
    switch (typeof node) {
      case 'number':
        if (!Number.isFinite(node)) fail(`is ${String(node)}; JSON cannot carry NaN or Infinity`);
        return;
      case 'string':
      case 'boolean':
        return;
      case 'undefined':
        if (inArray || path.length === 0) fail('is undefined, which JSON cannot carry');
        return;
      case 'function':
      case 'symbol':
      case 'bigint':
        fail(`is a ${typeof node}, which JSON cannot carry`);
        return;
      default:
        break;
    }
    if (node === null) return;
    const obj = node as object;
    if (seen.has(obj)) fail('is a circular reference');
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return;
    seen.add(obj);
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) {
        const child: unknown = obj[i];
        if (typeof child === 'number' && Number.isFinite(child)) continue;
        path.push(i);
        visit(child, true);
        path.pop();
      }
    } else {
      for (const key of Object.keys(obj)) {
        path.push(key);
        visit((obj as Record<string, unknown>)[key], false);
        path.pop();
      }
    }
    seen.delete(obj);
  };
  visit(value, false);
}
