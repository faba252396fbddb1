/**
 * @module UCB1 router (Auer, Cesa-Bianchi and Fischer, 2002): optimism in the face of uncertainty.
 *
 * Each arm's score is its mean reward plus a bonus that shrinks as the arm gathers rewards:
 * `mean + exploration × sqrt(ln(total pulls) / arm pulls)`; the arm with the best score takes the request (ties:
 * lowest index). Until every arm has a reward, the arms without one come first, drawn at random among them (one
 * Rng draw), so traffic spreads over them while their first feedback is on its way. Otherwise it draws nothing:
 * decisions are a deterministic function of the state. `explore` is true when the chosen arm is not the one with
 * the best mean.
 *
 * Parameters: `exploration` (default √2, the textbook UCB1; 0 is greedy), `seed`, which the orchestrator's router
 * runner reads.
 */
import type { Rng } from '../time/rng.ts';
import { argmax, checkStateFits, fmt, freshState, meanReward, recordReward } from './_bandit-state.ts';
import { checkChildCount, checkKnownParameters, numberParameter } from './_parameters.ts';
import type { RouterModule } from './types.ts';

export interface Ucb1Parameters {
  exploration: number;
}

export const DEFAULT_EXPLORATION = Math.SQRT2;

export const ucb1 = {
  name: 'ucb1',
  learns: true,

  parseParameters(raw: Record<string, unknown>, childCount: number): Ucb1Parameters {
    checkChildCount('ucb1', childCount);
    checkKnownParameters('ucb1', raw, ['exploration', 'seed'], childCount);
    return { exploration: numberParameter('ucb1', raw, 'exploration', DEFAULT_EXPLORATION, { min: 0, max: Number.POSITIVE_INFINITY }) };
  },

  initialState: freshState,

  decide(state, params, rng: Rng) {
    checkStateFits(state);
    const estimates = state.arms.map(meanReward);
    const untried = state.arms.flatMap((a, i) => (a.pulls === 0 ? [i] : []));
    if (untried.length > 0) {
      const arm = untried[Math.min(Math.floor(rng.next() * untried.length), untried.length - 1)]!;
      const which = untried.length === 1 ? `arm ${arm} is the only one` : `arms ${untried.join(', ')} have`;
      return { arm, explore: true, estimates, reason: `explore: ${which} no reward yet; UCB1 tries each arm first (arm ${arm} drawn)` };
    }
    const total = state.arms.reduce((sum, a) => sum + a.pulls, 0);
    const bonus = state.arms.map((a) => params.exploration * Math.sqrt(Math.log(total) / a.pulls));
    const scores = estimates.map((mean, i) => mean + bonus[i]!);
    const arm = argmax(scores);
    const best = argmax(estimates);
    return {
      arm,
      explore: arm !== best,
      estimates,
      reason:
        `${arm === best ? 'exploit' : 'explore'}: arm ${arm} has the best upper bound ${fmt(scores[arm]!)} ` +
        `(mean ${fmt(estimates[arm]!)} + bonus ${fmt(bonus[arm]!)} from ${state.arms[arm]!.pulls} of ${total} pulls)`,
    };
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<Ucb1Parameters>;
