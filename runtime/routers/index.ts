/** @module Built-in routers (epsilon-greedy, thompson-sampling, ucb1, weighted-split, switch): pure functions of (state, parameters, rng, request). */
export type { ArmStats, BanditState, RouteDecision, RouterModule } from './types.ts';
export { NoMatchingRouteError, RouterInputError, RouterParameterError } from './types.ts';
export { ROUTERS, createRouter, getRouterModule, type Router } from './registry.ts';
export { reconcileState } from './_bandit-state.ts';
export { epsilonGreedy, DEFAULT_EPSILON, type EpsilonGreedyParameters } from './epsilon-greedy.ts';
export { thompsonSampling, type ThompsonSamplingParameters } from './thompson-sampling.ts';
export { ucb1, DEFAULT_EXPLORATION, type Ucb1Parameters } from './ucb1.ts';
export { weightedSplit, type WeightedSplitParameters } from './weighted-split.ts';
export { switchRouter, SWITCH_OPERATORS, type SwitchParameters } from './switch.ts';
export { fieldPathProblem, parseFieldPath, readField, type FieldPath } from './field-path.ts';
