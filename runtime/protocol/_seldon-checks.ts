/**
 * @module The Seldon payload checks zod cannot phrase well: tensor values against shape, rectangular
 * numeric ndarrays, NaN written as a string, base64 binData.
 */
import {
  MAX_NESTING_DEPTH,
  NON_FINITE_HINT,
  NON_FINITE_STRINGS,
  findNotRectangular,
  isFiniteNumber,
  leadingShape,
  shapeProduct,
} from './_arrays.ts';
import { describeValue, type PathSegment, type PayloadIssue } from './_issues.ts';

/** Seldon's Tensor.shape is `repeated int32`. */
const MAX_INT32 = 2 ** 31 - 1;

export function checkTensor(tensor: { shape: unknown[]; values: ArrayLike<unknown> }, path: PathSegment[], issues: PayloadIssue[]): void {
  let shapeOk = true;
  tensor.shape.forEach((dim, i) => {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0 || dim > MAX_INT32) {
      shapeOk = false;
      issues.push({ path: [...path, 'shape', i], message: `expected a non-negative integer dimension, received ${describeValue(dim)}` });
    }
  });
  let bad = 0;
  for (let i = 0; i < tensor.values.length; i++) {
    const value = tensor.values[i];
    if (isFiniteNumber(value)) continue;
    if (bad++ === 0) issues.push({ path: [...path, 'values', i], message: notANumber(value) });
  }
  if (bad > 1) issues.push({ path: [...path, 'values'], message: `${bad} values in all are not numbers` });
  if (shapeOk) {
    const shape = tensor.shape as number[];
    const expected = shapeProduct(shape);
    if (expected !== tensor.values.length) {
      issues.push({
        path: [...path, 'values'],
        message: `expected ${expected} values (the product of shape [${shape.join(',')}]), received ${tensor.values.length}`,
      });
    }
  }
}

/**
 * An ndarray whose leaves are all numbers must be rectangular (it becomes a tensor); an ndarray of strings,
 * booleans or objects is passed through as it is (Seldon allows ragged and mixed lists there).
 */
export function checkNdarray(ndarray: unknown[], path: PathSegment[], issues: PayloadIssue[]): void {
  const stats = { numbers: 0, others: 0, deep: false, nonFinite: undefined as PathSegment[] | undefined, nonFiniteValue: '' };
  const at: number[] = [];
  const walk = (node: unknown[], depth: number): void => {
    if (depth >= MAX_NESTING_DEPTH) {
      stats.deep = true;
      return;
    }
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      if (Array.isArray(item)) {
        at.push(i);
        walk(item, depth + 1);
        at.pop();
        if (stats.deep) return;
      } else if (typeof item === 'number') {
        stats.numbers++;
      } else {
        stats.others++;
        if (stats.nonFinite === undefined && typeof item === 'string' && NON_FINITE_STRINGS.has(item)) {
          stats.nonFinite = [...path, ...at, i];
          stats.nonFiniteValue = item;
        }
      }
    }
  };
  walk(ndarray, 0);
  if (stats.deep) {
    issues.push({ path, message: `is nested deeper than ${MAX_NESTING_DEPTH} levels` });
    return;
  }
  if (stats.numbers > 0 && stats.nonFinite !== undefined) {
    issues.push({ path: stats.nonFinite, message: notANumber(stats.nonFiniteValue) });
    return;
  }
  if (stats.numbers === 0 || stats.others > 0) return;
  const problem = findNotRectangular(ndarray, leadingShape(ndarray), isFiniteNumber, 'numbers', path);
  if (problem !== undefined) issues.push({ path: problem.path, message: `${problem.message}; a numeric ndarray must not be ragged` });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function checkBase64(value: string, path: PathSegment[], issues: PayloadIssue[]): void {
  if (BASE64.test(value) || (BASE64URL.test(value) && value.length % 4 !== 1)) return;
  issues.push({ path, message: `expected base64-encoded bytes, received ${describeValue(value)}` });
}

function notANumber(value: unknown): string {
  const hint = typeof value === 'string' && NON_FINITE_STRINGS.has(value) ? ` (${NON_FINITE_HINT})` : '';
  return `expected a number, received ${describeValue(value)}${hint}`;
}
