import { describe, expect, it } from 'vitest';
import { RouterParameterError } from '../../../runtime/routers/types.ts';
import { DEFAULT_EXPLORATION, ucb1 } from '../../../runtime/routers/ucb1.ts';
import { scriptedRng } from '../../helpers/seeded-rng.ts';

const arm = (pulls: number, rewardSum: number) => ({ pulls, rewardSum, successes: rewardSum, failures: pulls - rewardSum });

describe('ucb1 parameters', () => {
  it('defaults exploration to sqrt(2) and takes 0 (greedy)', () => {
    expect(ucb1.parseParameters({}, 2)).toEqual({ exploration: DEFAULT_EXPLORATION });
    expect(ucb1.parseParameters({ exploration: 0, seed: 3 }, 2)).toEqual({ exploration: 0 });
  });

  it.each([
    { raw: { exploration: -1 }, message: 'ucb1 router, parameter "exploration": expected a number >= 0, received -1' },
    { raw: { exploration: 'lots' }, message: 'parameter "exploration": expected a number >= 0, received "lots"' },
    { raw: { c: 1 }, message: 'parameter "c": unknown parameter; known parameters: exploration, seed' },
  ])('rejects $raw', ({ raw, message }) => {
    expect(() => ucb1.parseParameters(raw, 2)).toThrow(RouterParameterError);
    expect(() => ucb1.parseParameters(raw, 2)).toThrow(message);
  });
});

describe('ucb1 decisions', () => {
  const params = { exploration: DEFAULT_EXPLORATION };

  it('tries the arms without a reward first, drawn at random among them', () => {
    const state = { arms: [arm(3, 2), arm(0, 0), arm(0, 0)] };
    expect(ucb1.decide(state, params, scriptedRng([0.1]))).toMatchObject({ arm: 1, explore: true, reason: 'explore: arms 1, 2 have no reward yet; UCB1 tries each arm first (arm 1 drawn)' });
    expect(ucb1.decide(state, params, scriptedRng([0.9])).arm).toBe(2);
    expect(ucb1.decide({ arms: [arm(3, 2), arm(0, 0)] }, params, scriptedRng([0.5])).reason).toContain('arm 1 is the only one');
  });

  it('picks the best upper bound: a little-tried arm can beat a better mean', () => {
    // Arm 0: mean 0.8 from 100 pulls; arm 1: mean 0.6 from 4. ln(104) = 4.644.
    // Bounds: 0.8 + 1.414 * sqrt(4.644 / 100) = 1.105; 0.6 + 1.414 * sqrt(4.644 / 4) = 2.124.
    const state = { arms: [arm(100, 80), arm(4, 2.4)] };
    const decision = ucb1.decide(state, params, scriptedRng([]));
    expect(decision).toMatchObject({ arm: 1, explore: true, estimates: [0.8, 0.6] });
    expect(decision.reason).toBe('explore: arm 1 has the best upper bound 2.124 (mean 0.600 + bonus 1.524 from 4 of 104 pulls)');
    // Greedy (exploration 0): the best mean.
    expect(ucb1.decide(state, { exploration: 0 }, scriptedRng([]))).toMatchObject({ arm: 0, explore: false });
  });

  it('exploits once the bonus has shrunk, and draws nothing once every arm has a reward', () => {
    const state = { arms: [arm(1000, 800), arm(1000, 600)] };
    expect(ucb1.decide(state, params, scriptedRng([]))).toMatchObject({ arm: 0, explore: false });
  });

  it('counts rewards like the other bandits', () => {
    const next = ucb1.update(ucb1.initialState(2), params, 1, 0.5);
    expect(next.arms[1]).toEqual({ pulls: 1, rewardSum: 0.5, successes: 0.5, failures: 0.5 });
  });
});
