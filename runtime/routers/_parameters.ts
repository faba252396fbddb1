/** Shared checks for router parameters (the plan's free-form `parameters`). */
import type { BuiltinRouterName } from '../plan/types.ts';
import { RouterParameterError } from './types.ts';

/**
 * Rejects parameters the router does not know (most likely a typo). Seldon's `n_branches` is accepted everywhere and
 * must equal the number of children.
 */
export function checkKnownParameters(
  router: BuiltinRouterName,
  raw: Record<string, unknown>,
  known: readonly string[],
  childCount: number,
): void {
  for (const key of Object.keys(raw)) {
    if (key === 'n_branches') {
      if (raw[key] !== childCount) {
        throw new RouterParameterError(
          router,
          key,
          `is ${JSON.stringify(raw[key])} but the node has ${childCount} children; remove it (the child count is used)`,
        );
      }
      continue;
    }
    if (!known.includes(key)) {
      const list = known.length > 0 ? `known parameters: ${known.join(', ')}` : 'this router takes no parameters';
      throw new RouterParameterError(router, key, `unknown parameter; ${list}`);
    }
  }
}

export function checkChildCount(router: BuiltinRouterName, childCount: number): void {
  if (!Number.isInteger(childCount) || childCount < 1) {
    throw new RouterParameterError(router, 'children', `a router needs at least 1 child, received ${childCount}`);
  }
}

/** A number parameter in [min, max], or `fallback` when absent. Numeric strings are accepted ("0.1"). */
export function numberParameter(
  router: BuiltinRouterName,
  raw: Record<string, unknown>,
  name: string,
  fallback: number,
  range: { min: number; max: number; minExclusive?: boolean },
): number {
  const v = raw[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  const low = range.minExclusive ? `> ${range.min}` : `>= ${range.min}`;
  const want = Number.isFinite(range.max) ? `a number ${low} and <= ${range.max}` : `a number ${low}`;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new RouterParameterError(router, name, `expected ${want}, received ${JSON.stringify(v)}`);
  }
  if (n > range.max || (range.minExclusive ? n <= range.min : n < range.min)) {
    throw new RouterParameterError(router, name, `expected ${want}, received ${n}`);
  }
  return n;
}
