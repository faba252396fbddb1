import { describe, expect, it } from 'vitest';
import { epsilonGreedy } from '../../../runtime/routers/epsilon-greedy.ts';
import { RouterInputError, RouterParameterError } from '../../../runtime/routers/types.ts';
import { scriptedRng, seededRng } from '../../helpers/seeded-rng.ts';
import { arm, threeArms } from './_fixtures.ts';

const params = { epsilon: 0.1 };

describe('epsilon-greedy parameters', () => {
  it.each([
    { name: 'default', raw: {}, epsilon: 0.1 },
    { name: 'number', raw: { epsilon: 0.25 }, epsilon: 0.25 },
    { name: 'numeric string', raw: { epsilon: '0.2' }, epsilon: 0.2 },
    { name: 'bounds', raw: { epsilon: 1 }, epsilon: 1 },
    { name: "Seldon's n_branches equal to the child count", raw: { epsilon: 0, n_branches: 2 }, epsilon: 0 },
  ])('$name', ({ raw, epsilon }) => {
    expect(epsilonGreedy.parseParameters(raw, 2)).toEqual({ epsilon });
  });

  it.each([
    { name: 'above 1', raw: { epsilon: 1.5 }, parameter: 'epsilon', message: 'expected a number >= 0 and <= 1, received 1.5' },
    { name: 'negative', raw: { epsilon: -0.1 }, parameter: 'epsilon', message: 'received -0.1' },
    { name: 'not a number', raw: { epsilon: 'lots' }, parameter: 'epsilon', message: 'received "lots"' },
    { name: 'typo', raw: { epsilom: 0.1 }, parameter: 'epsilom', message: 'unknown parameter; known parameters: epsilon' },
    { name: 'n_branches differs', raw: { n_branches: 3 }, parameter: 'n_branches', message: 'is 3 but the node has 2 children' },
  ])('rejects $name, naming the parameter', ({ raw, parameter, message }) => {
    let error: unknown;
    try {
      epsilonGreedy.parseParameters(raw, 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RouterParameterError);
    expect(error).toMatchObject({ router: 'epsilon-greedy', parameter });
    expect((error as Error).message).toContain(`epsilon-greedy router, parameter "${parameter}": `);
    expect((error as Error).message).toContain(message);
  });

  it('rejects a router with no children', () => {
    expect(() => epsilonGreedy.parseParameters({}, 0)).toThrow('a router needs at least 1 child');
  });
});

describe('epsilon-greedy decisions', () => {
  it('exploits the best mean reward when the draw is >= epsilon (one draw)', () => {
    const rng = scriptedRng([0.1]);
    expect(epsilonGreedy.decide(threeArms(), params, rng)).toEqual({
      arm: 1,
      explore: false,
      estimates: [0.4, 0.7, 0],
      reason: 'exploit: arm 1 has the best mean reward 0.700 (10 pulls)',
    });
    expect(rng.remaining()).toBe(0);
  });

  it('explores uniformly over all arms when the draw is < epsilon (two draws)', () => {
    expect(epsilonGreedy.decide(threeArms(), params, scriptedRng([0.05, 0.7]))).toEqual({
      arm: 2,
      explore: true,
      estimates: [0.4, 0.7, 0],
      reason: 'explore: drew 0.050 < epsilon 0.100, picked arm 2 of 3 at random',
    });
    expect(epsilonGreedy.decide(threeArms(), params, scriptedRng([0.0999, 0])).arm).toBe(0);
    expect(epsilonGreedy.decide(threeArms(), params, scriptedRng([0, 0.6666])).arm).toBe(1);
    expect(epsilonGreedy.decide(threeArms(), params, scriptedRng([0, 0.9999999])).arm).toBe(2);
  });

  it('with no feedback yet, untried arms count as mean 0 and the tie goes to arm 0', () => {
    const d = epsilonGreedy.decide(epsilonGreedy.initialState(3), params, scriptedRng([0.5]));
    expect(d).toMatchObject({ arm: 0, explore: false, estimates: [0, 0, 0] });
    expect(d.reason).toBe('exploit: no rewards yet, arm 0 by the lowest-index tie-break');
  });

  it('ties between pulled arms go to the lowest index; an untried arm loses to any positive mean', () => {
    const state = { arms: [arm(0, 0), arm(4, 2), arm(2, 1)] };
    expect(epsilonGreedy.decide(state, params, scriptedRng([0.5])).arm).toBe(1);
  });

  it('epsilon 0 never explores and epsilon 1 always does', () => {
    const rng = seededRng(5);
    for (let i = 0; i < 50; i++) expect(epsilonGreedy.decide(threeArms(), { epsilon: 0 }, rng).arm).toBe(1);
    for (let i = 0; i < 50; i++) expect(epsilonGreedy.decide(threeArms(), { epsilon: 1 }, rng).explore).toBe(true);
  });

  it('a seeded Rng gives these exact choices (seed 42, epsilon 0.3)', () => {
    const rng = seededRng(42);
    const choices = Array.from({ length: 12 }, () => {
      const d = epsilonGreedy.decide(threeArms(), { epsilon: 0.3 }, rng);
      return `${d.arm}${d.explore ? 'e' : ''}`;
    });
    expect(choices.join(' ')).toBe('1e 0e 1 1 1 1 1 1 2e 1 1 1');
  });
});

describe('epsilon-greedy feedback', () => {
  it('counts a pull and adds the reward to the arm that was routed to, without changing the input', () => {
    const before = threeArms();
    const after = epsilonGreedy.update(before, params, 2, 0.25);
    expect(after.arms[2]).toEqual({ pulls: 1, rewardSum: 0.25, successes: 0.25, failures: 0.75 });
    expect(after.arms.slice(0, 2)).toEqual(before.arms.slice(0, 2));
    expect(before).toEqual(threeArms());
  });

  it.each([-0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY])('rejects reward %s with a clear error', (reward) => {
    expect(() => epsilonGreedy.update(threeArms(), params, 0, reward)).toThrow(
      expect.objectContaining({ name: 'RouterInputError', field: 'reward', message: expect.stringContaining('between 0 and 1') }),
    );
  });

  it.each([-1, 3, 1.5])('rejects arm %s', (a) => {
    expect(() => epsilonGreedy.update(threeArms(), params, a, 1)).toThrow(RouterInputError);
    expect(() => epsilonGreedy.update(threeArms(), params, a, 1)).toThrow('out of range: this router has 3 children');
  });
});
