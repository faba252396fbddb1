/**
 * @module Weighted-split router: sends each request to a child with probability proportional to its weight.
 *
 * One Rng draw per decision. It never learns: feedback is counted in the state (so GET /api/v1.0/routers shows it)
 * but decisions ignore it.
 *
 * Parameters: `weights` — one non-negative number per child, not all zero (default: equal weights). Weights are
 * relative: [3, 1] and [0.75, 0.25] are the same split. `seed`, which the orchestrator's router runner reads.
 */
import type { Rng } from '../time/rng.ts';
import { checkStateFits, fmt, freshState, recordReward } from './_bandit-state.ts';
import { checkChildCount, checkKnownParameters } from './_parameters.ts';
import { RouterParameterError, type RouterModule } from './types.ts';

export interface WeightedSplitParameters {
  /** Normalised: non-negative, summing to 1, one per child. */
  weights: number[];
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
    checkKnownParameters('weighted-split', raw, ['weights', 'seed'], childCount);
    return { weights: parseWeights(raw['weights'], childCount) };
  },

  initialState: freshState,

  decide(state, params, rng: Rng) {
    checkStateFits(state, params.weights.length);
    const u = rng.next();
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
    return {
      arm,
      estimates: [...weights],
      reason: `split: drew ${fmt(u)}, arm ${arm} holds share ${fmt(weights[arm]!)} of the traffic`,
    };
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<WeightedSplitParameters>;
