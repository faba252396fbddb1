/**
 * A seeded simulation: two Bernoulli arms, arm 0 pays with p = 0.5 and arm 1 with p = 0.9, 2000 requests, each
 * followed at once by its feedback. The learning routers must end up sending most traffic to arm 1; weighted-split
 * (50/50, never learns) is the control. The exact numbers are checked in: a change to a router or to the generator
 * shows up here.
 *
 *   router              arm-1 share, last 500   arm-0 pulls (of 2000)   regret (0.4 per arm-0 pull)
 *   epsilon-greedy 0.1  478 / 500 = 0.956       108                     43.2
 *   thompson-sampling   500 / 500 = 1.000       6                       2.4
 *   ucb1 (sqrt 2)       492 / 500 = 0.984       67                      26.8
 *   weighted-split      242 / 500 = 0.484       1009                    403.6
 */
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../../runtime/routers/index.ts';
import { seededRng } from '../../helpers/seeded-rng.ts';

const PAYOUT = [0.5, 0.9];
const STEPS = 2000;
const TAIL = 500;

function simulate(name: string, parameters: Record<string, unknown>) {
  const router = createRouter(name, parameters, 2);
  const routerRng = seededRng(1);
  const world = seededRng(2);
  let state = router.initialState();
  let tailBetter = 0;
  let worsePulls = 0;
  for (let t = 0; t < STEPS; t++) {
    const { arm } = router.decide(state, routerRng);
    const reward = world.next() < PAYOUT[arm]! ? 1 : 0;
    state = router.update(state, arm, reward);
    if (arm === 0) worsePulls++;
    if (t >= STEPS - TAIL && arm === 1) tailBetter++;
  }
  return { tailBetter, share: tailBetter / TAIL, worsePulls, regret: Number((worsePulls * (PAYOUT[1]! - PAYOUT[0]!)).toFixed(1)) };
}

describe('convergence on two Bernoulli arms (p = 0.5 vs 0.9, 2000 steps, seeds 1 and 2)', () => {
  it.each([
    { name: 'epsilon-greedy', parameters: { epsilon: 0.1 }, tailBetter: 478, worsePulls: 108, regret: 43.2 },
    { name: 'thompson-sampling', parameters: {}, tailBetter: 500, worsePulls: 6, regret: 2.4 },
    { name: 'ucb1', parameters: {}, tailBetter: 492, worsePulls: 67, regret: 26.8 },
  ])('$name sends more than 80% of the last 500 requests to the better arm', ({ name, parameters, tailBetter, worsePulls, regret }) => {
    const result = simulate(name, parameters);
    expect(result.share).toBeGreaterThan(0.8);
    expect(result).toEqual({ tailBetter, share: tailBetter / TAIL, worsePulls, regret });
  });

  it('weighted-split (the control) does not learn: about half', () => {
    expect(simulate('weighted-split', {})).toEqual({ tailBetter: 242, share: 0.484, worsePulls: 1009, regret: 403.6 });
  });
});
