/**
 * @module The built-in routers, keyed by the plan's `BuiltinRouterName`, and `createRouter` which binds one to a
 * node's parameters and child count.
 */
import { BUILTIN_ROUTERS, type BuiltinRouterName } from '../plan/types.ts';
import type { Rng } from '../time/rng.ts';
import { checkStateFits, reconcileState } from './_bandit-state.ts';
import { epsilonGreedy } from './epsilon-greedy.ts';
import { thompsonSampling } from './thompson-sampling.ts';
import type { BanditState, RouteDecision, RouterModule } from './types.ts';
import { switchRouter } from './switch.ts';
import { ucb1 } from './ucb1.ts';
import { weightedSplit } from './weighted-split.ts';

export const ROUTERS: { readonly [K in BuiltinRouterName]: RouterModule<unknown> } = {
  'epsilon-greedy': epsilonGreedy,
  'thompson-sampling': thompsonSampling,
  ucb1,
  'weighted-split': weightedSplit,
  switch: switchRouter,
};

/** The module for `name`; throws an Error listing the built-in routers when there is none. */
export function getRouterModule(name: string): RouterModule<unknown> {
  if (!Object.hasOwn(ROUTERS, name)) {
    throw new Error(`Unknown built-in router "${name}". Built-in routers: ${BUILTIN_ROUTERS.join(', ')}`);
  }
  return ROUTERS[name as BuiltinRouterName];
}

/** A built-in router bound to one node: its parameters are parsed once and its state is checked to fit. */
export interface Router {
  readonly name: BuiltinRouterName;
  readonly learns: boolean;
  readonly childCount: number;
  /** The parsed, normalised parameters. */
  readonly parameters: unknown;
  initialState(): BanditState;
  /** Turns what a state store holds (or `undefined`) into a state with one arm per child; see `reconcileState`. */
  reconcile(stored: unknown): BanditState;
  decide(state: BanditState, rng: Rng, message?: unknown): RouteDecision;
  update(state: BanditState, arm: number, reward: number): BanditState;
}

/**
 * Binds the router `name` to a node's raw `parameters` and children (a count, or their names: the switch router
 * names them). Throws a `RouterParameterError` when the parameters are wrong, and an Error for an unknown router.
 */
export function createRouter(name: string, parameters: Record<string, unknown>, children: number | readonly string[]): Router {
  const module = getRouterModule(name);
  const childCount = typeof children === 'number' ? children : children.length;
  const params = module.parseParameters(parameters, childCount, typeof children === 'number' ? undefined : children);
  return {
    name: module.name,
    learns: module.learns,
    childCount,
    parameters: params,
    initialState: () => module.initialState(childCount),
    reconcile: (stored) => reconcileState(stored, childCount),
    decide(state, rng, message) {
      checkStateFits(state, childCount);
      return module.decide(state, params, rng, message);
    },
    update(state, arm, reward) {
      checkStateFits(state, childCount);
      return module.update(state, params, arm, reward);
    },
  };
}
