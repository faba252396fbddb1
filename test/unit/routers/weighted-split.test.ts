import { describe, expect, it } from 'vitest';
import { RouterParameterError } from '../../../runtime/routers/types.ts';
import { weightedSplit } from '../../../runtime/routers/weighted-split.ts';
import { scriptedRng, seededRng } from '../../helpers/seeded-rng.ts';

describe('weighted-split parameters', () => {
  it('normalises weights and defaults to an equal split', () => {
    expect(weightedSplit.parseParameters({ weights: [3, 1] }, 2)).toEqual({ weights: [0.75, 0.25] });
    expect(weightedSplit.parseParameters({}, 4)).toEqual({ weights: [0.25, 0.25, 0.25, 0.25] });
  });

  it.each([
    { name: 'not a list', weights: 5, message: 'expected a list of 2 non-negative numbers (one per child), received 5' },
    { name: 'wrong length', weights: [1, 2, 3], message: 'has 3 weights but the node has 2 children' },
    { name: 'negative', weights: [1, -1], message: 'weights[1] must be a non-negative number, received -1' },
    { name: 'not numbers', weights: ['a', 1], message: 'weights[0] must be a non-negative number, received "a"' },
    { name: 'all zero', weights: [0, 0], message: 'all weights are 0; give at least one child a positive weight' },
  ])('rejects $name', ({ weights, message }) => {
    expect(() => weightedSplit.parseParameters({ weights }, 2)).toThrow(RouterParameterError);
    expect(() => weightedSplit.parseParameters({ weights }, 2)).toThrow(`weighted-split router, parameter "weights": ${message}`);
  });
});

describe('weighted-split decisions', () => {
  const params = { weights: [0.75, 0.25] };
  const state = weightedSplit.initialState(2);

  it.each([
    { u: 0, arm: 0 },
    { u: 0.7499, arm: 0 },
    { u: 0.75, arm: 1 },
    { u: 0.9999999, arm: 1 },
  ])('draw $u → arm $arm', ({ u, arm }) => {
    expect(weightedSplit.decide(state, params, scriptedRng([u]))).toEqual(expect.objectContaining({ arm, estimates: [0.75, 0.25] }));
    expect(weightedSplit.decide(state, params, scriptedRng([u]))).not.toHaveProperty('explore');
  });

  it('never picks a zero-weight arm', () => {
    const p = { weights: [0, 1, 0] };
    const s = weightedSplit.initialState(3);
    for (const u of [0, 0.5, 0.9999999]) expect(weightedSplit.decide(s, p, scriptedRng([u])).arm).toBe(1);
  });

  it('explains its choice', () => {
    expect(weightedSplit.decide(state, params, scriptedRng([0.8])).reason).toBe(
      'split: drew 0.800, arm 1 holds share 0.250 of the traffic',
    );
  });

  it('a seeded Rng gives these exact choices, and 10 000 decisions split 7510 / 2490', () => {
    const rng = seededRng(3);
    expect(Array.from({ length: 12 }, () => weightedSplit.decide(state, params, rng).arm).join(' ')).toBe('0 0 0 0 0 0 1 0 0 0 0 1');
    const counts = [0, 0];
    const rng2 = seededRng(3);
    for (let i = 0; i < 10_000; i++) counts[weightedSplit.decide(state, params, rng2).arm]!++;
    expect(counts).toEqual([7510, 2490]);
  });

  it('does not learn: feedback is counted but the split stays the same', () => {
    expect(weightedSplit.learns).toBe(false);
    let s = state;
    for (let i = 0; i < 50; i++) s = weightedSplit.update(s, params, 1, 0);
    expect(s.arms[1]).toEqual({ pulls: 50, rewardSum: 0, successes: 0, failures: 50 });
    expect(weightedSplit.decide(s, params, scriptedRng([0.1])).arm).toBe(0);
  });
});

describe('weighted-split with stickyBy', () => {
  const state = weightedSplit.initialState(2);
  const sticky = (weights: number[], seed?: number) =>
    weightedSplit.parseParameters({ weights, stickyBy: 'meta.tags.user', ...(seed === undefined ? {} : { seed }) }, 2);
  const request = (user: unknown) => ({ data: { ndarray: [[1]] }, meta: { tags: { user } } });
  /** An Rng that fails the test if a sticky decision draws from it. */
  const noDraws = { next: () => expect.unreachable('a sticky decision must not draw') as never };

  it('checks the field path', () => {
    expect(sticky([1, 1]).sticky).toMatchObject({ field: 'meta.tags.user', path: ['meta', 'tags', 'user'], salt: '' });
    expect(() => weightedSplit.parseParameters({ stickyBy: 'meta..user' }, 2)).toThrow('weighted-split router, parameter "stickyBy": the path has an empty key');
    expect(() => weightedSplit.parseParameters({ stickyBy: 7 }, 2)).toThrow('parameter "stickyBy": expected a field path such as meta.tags.user, received 7');
  });

  it('sends the same value to the same child every time, without drawing', () => {
    const params = sticky([1, 1]);
    for (const user of ['alice', 'bob', 'carol', 42]) {
      const first = weightedSplit.decide(state, params, noDraws, request(user)).arm;
      for (let i = 0; i < 5; i++) expect(weightedSplit.decide(state, params, noDraws, request(user)).arm).toBe(first);
    }
    expect(weightedSplit.decide(state, params, noDraws, request('alice')).reason).toMatch(
      /^sticky split: meta\.tags\.user "alice" hashes to 0\.\d{3}, arm \d holds share 0\.500 of the traffic$/,
    );
  });

  it('splits 10 000 users in the weights\' proportions', () => {
    const params = sticky([9, 1]);
    const counts = [0, 0];
    for (let i = 0; i < 10_000; i++) counts[weightedSplit.decide(state, params, noDraws, request(`user-${i}`)).arm]!++;
    expect(counts[1]! / 10_000).toBeGreaterThan(0.08);
    expect(counts[1]! / 10_000).toBeLessThan(0.12);
  });

  it('moving the weights moves only the users it must: 90/10 → 80/20 sends no one back from the second child', () => {
    const before = sticky([9, 1]);
    const after = sticky([8, 2]);
    let moved = 0;
    for (let i = 0; i < 5000; i++) {
      const user = request(`user-${i}`);
      const a = weightedSplit.decide(state, before, noDraws, user).arm;
      const b = weightedSplit.decide(state, after, noDraws, user).arm;
      if (a === 1) expect(b).toBe(1);
      if (a !== b) moved++;
    }
    // About 10 % of the users change child, all of them to the second.
    expect(moved / 5000).toBeGreaterThan(0.07);
    expect(moved / 5000).toBeLessThan(0.13);
  });

  it('a seed reshuffles which users go where', () => {
    const users = Array.from({ length: 200 }, (_, i) => request(`user-${i}`));
    const arms = (seed?: number) => users.map((u) => weightedSplit.decide(state, sticky([1, 1], seed), noDraws, u).arm).join('');
    expect(arms(1)).toBe(arms(1));
    expect(arms(1)).not.toBe(arms(2));
    expect(arms()).not.toBe(arms(1));
  });

  it('draws at random for a request without the field (or with an object there), and says so', () => {
    const params = sticky([1, 1]);
    const missing = weightedSplit.decide(state, params, scriptedRng([0.7]), { data: { ndarray: [[1]] } });
    expect(missing.arm).toBe(1);
    expect(missing.reason).toBe('split: no value at meta.tags.user, so drew 0.700 at random, arm 1 holds share 0.500 of the traffic');
    expect(weightedSplit.decide(state, params, scriptedRng([0.2]), request({ id: 1 })).arm).toBe(0);
    expect(weightedSplit.decide(state, params, scriptedRng([0.2]), request('')).arm).toBe(0);
  });
});
