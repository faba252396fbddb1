/**
 * @module Seldon `data` ↔ flat numeric tensors, validated against the model's input shape.
 *
 * A request carries `data.ndarray` (nested arrays) or `data.tensor` ({shape, values}); the answer uses the
 * same form. Every problem is a `ModelInputError` naming the offending field (`data.ndarray[1][2]`) and
 * saying what was expected.
 */
import type { SeldonData, SeldonMessage } from '../protocol/seldon-types.ts';
import { ModelInputError } from './errors.ts';
import { isTypedValues, jsonSafe, type TypedValues } from '../protocol/packed-values.ts';

export type DataForm = 'ndarray' | 'tensor';

/** The model input a request is checked against. */
export interface ExpectedInput {
  name: string;
  /** Dimensions: a number is fixed, a string (or -1) is dynamic. Null: unknown rank, nothing checked. */
  shape: ReadonlyArray<number | string> | null;
}

export interface DecodedInput {
  form: DataForm;
  shape: number[];
  /** Row-major values: numbers from JSON, or the typed array a packed body brought (not copied). */
  values: number[] | TypedValues;
}

function isFixed(dim: number | string | undefined): dim is number {
  return typeof dim === 'number' && dim >= 0;
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (isFixed(d) ? String(d) : typeof d === 'string' ? d : '?')).join(',')}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function checkNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelInputError(field, `expected a number, got ${describe(value)}`);
  }
  return value;
}

/** Takes the message's `data` apart into a shape and flat values, checked against `expected`. */
export function decodeSeldonData(message: SeldonMessage, expected: ExpectedInput): DecodedInput {
  const data = message.data;
  if (data === undefined || data === null || typeof data !== 'object') {
    const other = (['jsonData', 'strData', 'binData'] as const).find((k) => message[k] !== undefined);
    throw new ModelInputError(
      other ?? 'data',
      `expected data.ndarray or data.tensor with the model input "${expected.name}"${other ? `; an ONNX model does not take ${other}` : ''}`,
    );
  }
  if (data.ndarray !== undefined && data.tensor !== undefined) {
    throw new ModelInputError('data', 'give either data.ndarray or data.tensor, not both');
  }
  if (data.tensor !== undefined) return decodeTensor(data.tensor, expected);
  if (data.ndarray !== undefined) return decodeNdarray(data.ndarray, expected);
  throw new ModelInputError('data', `expected data.ndarray or data.tensor with the model input "${expected.name}"`);
}

function decodeNdarray(ndarray: unknown, expected: ExpectedInput): DecodedInput {
  const field = 'data.ndarray';
  if (!Array.isArray(ndarray)) throw new ModelInputError(field, `expected an array, got ${describe(ndarray)}`);
  // The rank: the model's, or what the first elements say.
  let rank = expected.shape?.length;
  if (rank === undefined) {
    rank = 0;
    for (let node: unknown = ndarray; Array.isArray(node); node = node[0]) rank++;
  }
  const modelShape = expected.shape;
  const shape: number[] = [];
  const values: number[] = [];
  const expectedText = modelShape ? ` (model input "${expected.name}" has shape ${shapeText(modelShape)})` : '';

  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === rank) {
      values.push(checkNumber(node, path));
      return;
    }
    const fixed = modelShape?.[depth];
    if (!Array.isArray(node)) {
      const want = depth === rank - 1 ? `a row${isFixed(fixed) ? ` of ${fixed} numbers` : ''}` : 'an array';
      throw new ModelInputError(path, `expected ${want}${expectedText}, got ${describe(node)}`);
    }
    if (isFixed(fixed)) {
      if (node.length !== fixed) {
        const what = depth === rank - 1 ? 'values' : depth === 0 ? 'rows' : 'elements';
        throw new ModelInputError(path, `expected ${fixed} ${what}${expectedText}, got ${node.length}`);
      }
    } else if (shape[depth] === undefined) {
      if (node.length === 0 && depth === 0) throw new ModelInputError(path, `expected at least one row${expectedText}`);
    } else if (node.length !== shape[depth]) {
      throw new ModelInputError(
        path,
        `expected ${shape[depth]} values like the first one, got ${node.length} (an ndarray must be rectangular)`,
      );
    }
    if (shape[depth] === undefined) shape[depth] = node.length;
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(ndarray, 0, field);
  // Empty inner arrays leave deeper dimensions unseen.
  for (let d = 0; d < rank; d++) if (shape[d] === undefined) shape[d] = isFixed(modelShape?.[d]) ? (modelShape![d] as number) : 0;
  return { form: 'ndarray', shape, values };
}

function decodeTensor(tensor: unknown, expected: ExpectedInput): DecodedInput {
  if (tensor === null || typeof tensor !== 'object' || Array.isArray(tensor)) {
    throw new ModelInputError('data.tensor', `expected {shape, values}, got ${describe(tensor)}`);
  }
  const { shape, values } = tensor as { shape?: unknown; values?: unknown };
  if (!Array.isArray(shape)) throw new ModelInputError('data.tensor.shape', `expected an array of dimensions, got ${describe(shape)}`);
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ModelInputError(`data.tensor.shape[${i}]`, `expected a non-negative integer, got ${describe(d)}`);
    }
  });
  const dims = shape as number[];
  const modelShape = expected.shape;
  if (modelShape) {
    const expectedText = `model input "${expected.name}" has shape ${shapeText(modelShape)}`;
    if (dims.length !== modelShape.length) {
      throw new ModelInputError('data.tensor.shape', `expected ${modelShape.length} dimensions (${expectedText}), got [${dims.join(',')}]`);
    }
    modelShape.forEach((m, i) => {
      if (isFixed(m) && dims[i] !== m) {
        throw new ModelInputError(`data.tensor.shape[${i}]`, `expected ${m} (${expectedText}), got ${dims[i]}`);
      }
    });
  }
  if (dims.length > 0 && dims[0] === 0) throw new ModelInputError('data.tensor.shape[0]', 'expected at least one row, got 0');
  const typed = isTypedValues(values);
  if (!Array.isArray(values) && !typed) throw new ModelInputError('data.tensor.values', `expected an array of numbers, got ${describe(values)}`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new ModelInputError('data.tensor.values', `expected ${count} values for shape [${dims.join(',')}], got ${values.length}`);
  }
  if (typed) {
    // Packed values are numbers by construction; NaN and infinities are still refused, as in JSON.
    for (let i = 0; i < values.length; i++) checkNumber(values[i], `data.tensor.values[${i}]`);
    return { form: 'tensor', shape: dims.slice(), values };
  }
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = checkNumber(values[i], `data.tensor.values[${i}]`);
  return { form: 'tensor', shape: dims.slice(), values: out };
}

/** Nests flat row-major `values` by `shape` (shape [] → the single value). */
export function nest(values: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  let offset = 0;
  const build = (depth: number): unknown[] => {
    const out: unknown[] = new Array(shape[depth]!);
    for (let i = 0; i < shape[depth]!; i++) out[i] = depth === shape.length - 1 ? values[offset++] : build(depth + 1);
    return out;
  };
  return build(0);
}

/** The answer's `data` in `form`, with `names`. */
export function encodeSeldonData(form: DataForm, shape: readonly number[], values: ArrayLike<number>, names: string[]): SeldonData {
  if (form === 'tensor') return { names, tensor: { shape: shape.slice(), values: isTypedValues(values) ? jsonSafe(values) : Array.from(values) } };
  const nested = nest(values, shape);
  return { names, ndarray: Array.isArray(nested) ? nested : [nested] };
}
