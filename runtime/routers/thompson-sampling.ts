/**
 * @module Thompson-sampling router (Beta–Bernoulli), after Seldon Core's ThompsonSampling.
 *
 * Each arm's chance of success has the posterior Beta(alpha + successes, beta + failures), where a reward r in [0, 1]
 * adds r to successes and 1 - r to failures. A decision draws one sample per arm, in arm order, from the Rng and
 * picks the largest sample (ties: lowest index). `explore` is true when that arm is not the one with the best
 * posterior mean.
 *
 * Parameters: `alpha`, `beta` — the prior's pseudo-counts (default 1 and 1: a uniform prior), each > 0; `seed`, which
 * the orchestrator's router runner reads.
 */
import type { Rng } from '../time/rng.ts';
import { argmax, checkStateFits, fmt, freshState, recordReward } from './_bandit-state.ts';
import { sampleBeta } from './_gamma.ts';
import { checkChildCount, checkKnownParameters, numberParameter } from './_parameters.ts';
import type { RouterModule } from './types.ts';

export interface ThompsonSamplingParameters {
  alpha: number;
  beta: number;
}

export const thompsonSampling = {
  name: 'thompson-sampling',
  learns: true,

  parseParameters(raw: Record<string, unknown>, childCount: number): ThompsonSamplingParameters {
    checkChildCount('thompson-sampling', childCount);
    checkKnownParameters('thompson-sampling', raw, ['alpha', 'beta', 'seed'], childCount);
    const positive = { min: 0, max: Number.POSITIVE_INFINITY, minExclusive: true };
    return {
      alpha: numberParameter('thompson-sampling', raw, 'alpha', 1, positive),
      beta: numberParameter('thompson-sampling', raw, 'beta', 1, positive),
    };
  },

  initialState: freshState,

  decide(state, params, rng: Rng) {
    checkStateFits(state);
    const posterior = state.arms.map((a) => ({ a: params.alpha + a.successes, b: params.beta + a.failures }));
    const estimates = posterior.map((p) => sampleBeta(p.a, p.b, rng));
    const arm = argmax(estimates);
    const means = posterior.map((p) => p.a / (p.a + p.b));
    const bestMean = argmax(means);
    const explore = means[arm]! < means[bestMean]!;
    const reason = explore
      ? `explore: arm ${arm} sampled ${fmt(estimates[arm]!)}, the highest draw, though arm ${bestMean} has the best posterior mean ${fmt(means[bestMean]!)}`
      : `exploit: arm ${arm} sampled ${fmt(estimates[arm]!)}, the highest draw; posterior mean ${fmt(means[arm]!)} (${state.arms[arm]!.pulls} pulls)`;
    return { arm, explore, estimates, reason };
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<ThompsonSamplingParameters>;
