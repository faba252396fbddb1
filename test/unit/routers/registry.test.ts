import { describe, expect, it } from 'vitest';
import { BUILTIN_ROUTERS } from '../../../runtime/plan/types.ts';
import { createRouter, getRouterModule, reconcileState, ROUTERS, RouterInputError } from '../../../runtime/routers/index.ts';
import { scriptedRng } from '../../helpers/seeded-rng.ts';
import { arm } from './_fixtures.ts';

describe('router registry', () => {
  it('has one module per BuiltinRouterName, registered under its own name', () => {
    expect(Object.keys(ROUTERS).sort()).toEqual([...BUILTIN_ROUTERS].sort());
    for (const [name, module] of Object.entries(ROUTERS)) expect(module.name).toBe(name);
  });

  it('an unknown router name lists the built-in ones', () => {
    expect(() => getRouterModule('ucb2')).toThrow(
      'Unknown built-in router "ucb2". Built-in routers: epsilon-greedy, thompson-sampling, ucb1, weighted-split, switch',
    );
    expect(() => getRouterModule('toString')).toThrow('Unknown built-in router');
  });

  it('createRouter binds parameters and child count', () => {
    const router = createRouter('epsilon-greedy', { epsilon: 0.5 }, 2);
    expect(router).toMatchObject({ name: 'epsilon-greedy', learns: true, childCount: 2, parameters: { epsilon: 0.5 } });
    const state = router.update(router.initialState(), 1, 1);
    expect(router.decide(state, scriptedRng([0.9]))).toMatchObject({ arm: 1, explore: false });
  });

  it('createRouter rejects bad parameters up front', () => {
    expect(() => createRouter('weighted-split', { weights: [1] }, 2)).toThrow('parameter "weights"');
  });

  it('a state that does not fit the node is refused with a hint', () => {
    const router = createRouter('thompson-sampling', {}, 3);
    const twoArms = { arms: [arm(0, 0), arm(0, 0)] };
    expect(() => router.decide(twoArms, scriptedRng([]))).toThrow(RouterInputError);
    expect(() => router.update(twoArms, 0, 1)).toThrow('router state has 2 arms but the node has 3 children');
  });
});

describe('reconcileState', () => {
  it('starts fresh when nothing is stored', () => {
    expect(reconcileState(undefined, 2)).toEqual({ arms: [arm(0, 0), arm(0, 0)] });
  });

  it('adds fresh arms for new children and drops arms of removed ones', () => {
    const stored = { arms: [arm(4, 3), arm(2, 1)] };
    expect(reconcileState(stored, 3)).toEqual({ arms: [arm(4, 3), arm(2, 1), arm(0, 0)] });
    expect(reconcileState(stored, 1)).toEqual({ arms: [arm(4, 3)] });
  });

  it.each([
    { name: 'not an object', stored: 'x', message: 'stored router state is not {arms: [...]}' },
    { name: 'no arms', stored: { counts: [] }, message: 'stored router state is not {arms: [...]}' },
    { name: 'a bad arm', stored: { arms: [{ pulls: -1, rewardSum: 0, successes: 0, failures: 0 }] }, message: 'arm 0' },
  ])('refuses $name', ({ stored, message }) => {
    expect(() => reconcileState(stored, 1)).toThrow(message);
  });
});
