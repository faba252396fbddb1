/**
 * @module Epsilon-greedy router, after Seldon Core's EpsilonGreedy.
 *
 * Each decision draws one number u from the Rng. When u < epsilon the router explores: it draws a second number and
 * picks an arm uniformly at random among all arms (Seldon picks among the arms other than the best; here the best
 * arm may be drawn too, the textbook rule). Otherwise it exploits: the arm with the best mean reward, an arm never
 * pulled counting as mean 0 (as in Seldon), ties going to the lowest index. So with no feedback yet, arm 0 takes the
 * exploit share.
 *
 * Parameters: `epsilon` (default 0.1, in [0, 1]); `seed`, which the orchestrator's router runner reads.
 */
import type { Rng } from '../time/rng.ts';
import { argmax, checkStateFits, fmt, freshState, meanReward, recordReward } from './_bandit-state.ts';
import { checkChildCount, checkKnownParameters, numberParameter } from './_parameters.ts';
import type { RouterModule } from './types.ts';

export interface EpsilonGreedyParameters {
  epsilon: number;
}

export const DEFAULT_EPSILON = 0.1;

export const epsilonGreedy = {
  name: 'epsilon-greedy',
  learns: true,

  parseParameters(raw: Record<string, unknown>, childCount: number): EpsilonGreedyParameters {
    checkChildCount('epsilon-greedy', childCount);
    checkKnownParameters('epsilon-greedy', raw, ['epsilon', 'seed'], childCount);
    return { epsilon: numberParameter('epsilon-greedy', raw, 'epsilon', DEFAULT_EPSILON, { min: 0, max: 1 }) };
  },

  initialState: freshState,

  decide(state, params, rng: Rng) {
    checkStateFits(state);
    const estimates = state.arms.map(meanReward);
    const u = rng.next();
    if (u < params.epsilon) {
      const arm = Math.min(Math.floor(rng.next() * estimates.length), estimates.length - 1);
      return {
        arm,
        explore: true,
        estimates,
        reason: `explore: drew ${fmt(u)} < epsilon ${fmt(params.epsilon)}, picked arm ${arm} of ${estimates.length} at random`,
      };
    }
    const arm = argmax(estimates);
    const pulls = state.arms[arm]!.pulls;
    const reason =
      pulls === 0 && estimates.every((e) => e === 0)
        ? `exploit: no rewards yet, arm ${arm} by the lowest-index tie-break`
        : `exploit: arm ${arm} has the best mean reward ${fmt(estimates[arm]!)} (${pulls} pulls)`;
    return { arm, explore: false, estimates, reason };
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<EpsilonGreedyParameters>;
