/**
 * @module Nested-array helpers shared by the codecs: shape products, reshaping, flattening, inferring the
 * shape of a rectangular array and finding the first place where it is not rectangular.
 */
import { describeValue, formatPath, type PathSegment, type PayloadIssue } from './_issues.ts';

/** Deepest nesting the codecs walk; deeper input is rejected rather than risking the stack. */
export const MAX_NESTING_DEPTH = 64;

/** The product of a shape's dimensions (1 for `[]`, a scalar). */
export function shapeProduct(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major `values` → nested arrays of `shape` (`[]` → the single value). Assumes the counts agree. */
export function reshape<T>(values: ArrayLike<T>, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  let offset = 0;
  const build = (dim: number): unknown[] => {
    const size = shape[dim] ?? 0;
    const out: unknown[] = new Array(size);
    if (dim === shape.length - 1) {
      for (let i = 0; i < size; i++) out[i] = values[offset++];
    } else {
      for (let i = 0; i < size; i++) out[i] = build(dim + 1);
    }
    return out;
  };
  return build(0);
}

/**
 * Flatten nested arrays into `out` in row-major order. Returns a problem (at `path`) when nesting is deeper
 * than `MAX_NESTING_DEPTH`, else undefined.
 */
export function flattenInto(value: unknown, out: unknown[], path: PathSegment[] = [], depth = 0): PayloadIssue | undefined {
  if (!Array.isArray(value)) {
    out.push(value);
    return undefined;
  }
  if (depth >= MAX_NESTING_DEPTH) return { path, message: `is nested deeper than ${MAX_NESTING_DEPTH} levels` };
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (Array.isArray(item)) {
      const problem = flattenInto(item, out, path, depth + 1);
      if (problem !== undefined) return problem;
    } else {
      out.push(item);
    }
  }
  return undefined;
}

/** The shape a nested array claims by its first elements: `[[1,2,3],[4,5,6]]` → `[2, 3]`. */
export function leadingShape(value: unknown): number[] {
  const dims: number[] = [];
  let cur = value;
  while (Array.isArray(cur) && dims.length < MAX_NESTING_DEPTH) {
    dims.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return dims;
}

/**
 * The first place where `value` is not a rectangular array of `shape` whose leaves pass `isLeaf`,
 * or undefined when it is. `what` names the leaves in messages ("numbers").
 */
export function findNotRectangular(
  value: unknown,
  shape: readonly number[],
  isLeaf: (leaf: unknown) => boolean,
  what: string,
  basePath: PathSegment[],
): PayloadIssue | undefined {
  // Indices of the current position; copied into a path only when a problem is found.
  const at: number[] = [];
  const here = (): PathSegment[] => [...basePath, ...at];
  const visit = (node: unknown, dim: number): PayloadIssue | undefined => {
    if (dim === shape.length) {
      if (Array.isArray(node)) return { path: here(), message: `expected one of the ${what}, received ${describeValue(node)} (arrays must be rectangular)` };
      return isLeaf(node) ? undefined : { path: here(), message: `expected one of the ${what}, received ${describeValue(node)}` };
    }
    const size = shape[dim] ?? 0;
    const like = (): string => (dim === 0 ? '' : ` like ${formatPath([...basePath, ...Array<number>(dim).fill(0)])}`);
    if (!Array.isArray(node)) {
      return { path: here(), message: `expected an array of ${size}${like()}, received ${describeValue(node)} (arrays must be rectangular)` };
    }
    if (node.length !== size) {
      return { path: here(), message: `expected ${size} elements${like()}, received ${node.length} (arrays must be rectangular)` };
    }
    if (dim === shape.length - 1) {
      for (let i = 0; i < node.length; i++) {
        const leaf: unknown = node[i];
        if (Array.isArray(leaf) || !isLeaf(leaf)) {
          at.push(i);
          return visit(leaf, dim + 1);
        }
      }
      return undefined;
    }
    for (let i = 0; i < node.length; i++) {
      at.push(i);
      const problem = visit(node[i], dim + 1);
      if (problem !== undefined) return problem;
      at.pop();
    }
    return undefined;
  };
  return visit(value, 0);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Strings that proto3 JSON uses for non-finite doubles; plain JSON has no way to write these numbers. */
export const NON_FINITE_STRINGS: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity', 'nan', 'inf', '-inf']);

export const NON_FINITE_HINT = 'JSON has no NaN or Infinity, and string forms are not accepted';
