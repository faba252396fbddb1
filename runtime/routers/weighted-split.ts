/**
 * @module Weighted-split router: sends each request to a child with probability proportional to its weight.
 *
 * One Rng draw per decision. It never learns: feedback is counted in the state (so GET /api/v1.0/routers shows it)
 * but decisions ignore it.
 *
 * Parameters: `weights` — one non-negative number per child, not all zero (default: equal weights). Weights are
 * relative: [3, 1] and [0.75, 0.25] are the same split. `stickyBy` — a field path (field-path.ts): a request that
 * holds a value there gets, instead of a draw, a point in [0, 1) hashed from that value (FNV-1a, salted with
 * `seed`), so the same value always lands on the same child; the weights cut [0, 1) in child order, so moving a
 * weight moves only the values between the old and the new cut. `seed`, which the orchestrator's runner also reads.
 */
import type { Rng } from '../time/rng.ts';
import { checkStateFits, fmt, freshState, recordReward } from './_bandit-state.ts';
import { checkChildCount, checkKnownParameters } from './_parameters.ts';
import { RouterParameterError, type RouterModule } from './types.ts';
import { fieldPathProblem, parseFieldPath, readField, type FieldPath } from './field-path.ts';

export interface WeightedSplitParameters {
  /** Normalised: non-negative, summing to 1, one per child. */
  weights: number[];
  /** Requests holding a value here go to a child chosen by that value (the same child every time). */
  sticky?: { field: string; path: FieldPath; salt: string };
}

function parseWeights(raw: unknown, childCount: number): number[] {
  if (raw === undefined) return Array.from({ length: childCount }, () => 1 / childCount);
  const err = (msg: string) => new RouterParameterError('weighted-split', 'weights', msg);
  if (!Array.isArray(raw)) {
    throw err(`expected a list of ${childCount} non-negative numbers (one per child), received ${JSON.stringify(raw)}`);
  }
  if (raw.length !== childCount) {
    throw err(`has ${raw.length} weights but the node has ${childCount} children; give one weight per child`);
  }
  raw.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw err(`weights[${i}] must be a non-negative number, received ${JSON.stringify(w)}`);
    }
  });
  const weights = raw as number[];
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw err('all weights are 0; give at least one child a positive weight');
  return weights.map((w) => w / total);
}

export const weightedSplit = {
  name: 'weighted-split',
  learns: false,

  parseParameters(raw: Record<string, unknown>, childCount: number): WeightedSplitParameters {
    checkChildCount('weighted-split', childCount);
    checkKnownParameters('weighted-split', raw, ['weights', 'stickyBy', 'seed'], childCount);
    const params: WeightedSplitParameters = { weights: parseWeights(raw['weights'], childCount) };
    const stickyBy = raw['stickyBy'];
    if (stickyBy !== undefined) {
      const problem = typeof stickyBy === 'string' ? fieldPathProblem(stickyBy) : `expected a field path such as meta.tags.user, received ${JSON.stringify(stickyBy)}`;
      if (problem !== undefined) throw new RouterParameterError('weighted-split', 'stickyBy', typeof stickyBy === 'string' ? `the path ${problem}` : problem);
      params.sticky = { field: stickyBy as string, path: parseFieldPath(stickyBy as string), salt: raw['seed'] === undefined ? '' : String(raw['seed']) };
    }
    return params;
  },

  initialState: freshState,

  decide(state, params, rng: Rng, message?: unknown) {
    checkStateFits(state, params.weights.length);
    const key = params.sticky === undefined ? undefined : stickyKey(readField(message, params.sticky.path));
    const u = key === undefined ? rng.next() : hashToUnit(`${params.sticky!.salt}\u0000${key}`);
    const weights = params.weights;
    let arm = -1;
    let cumulative = 0;
    for (let i = 0; i < weights.length; i++) {
      cumulative += weights[i]!;
      if (weights[i]! > 0 && u < cumulative) {
        arm = i;
        break;
      }
    }
    // Rounding can leave the cumulative sum a hair under 1: fall back to the last arm with a positive weight.
    if (arm < 0) arm = weights.findLastIndex((w) => w > 0);
    const share = `arm ${arm} holds share ${fmt(weights[arm]!)} of the traffic`;
    const reason =
      params.sticky === undefined
        ? `split: drew ${fmt(u)}, ${share}`
        : key === undefined
          ? `split: no value at ${params.sticky.field}, so drew ${fmt(u)} at random, ${share}`
          : `sticky split: ${params.sticky.field} ${JSON.stringify(key.slice(0, 64))} hashes to ${fmt(u)}, ${share}`;
    return { arm, estimates: [...weights], reason };
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<WeightedSplitParameters>;

/** The text a sticky value is hashed by: strings as they are, numbers and booleans as written; nothing else sticks. */
function stickyKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** FNV-1a (32 bits) of the UTF-16 code units, as a point in [0, 1): the same text, the same point, on every replica. */
export function hashToUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // One more mixing round (murmur3's finaliser), so that keys differing in their last character spread over [0, 1).
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}
