/**
 * @module The built-in router contract: a router is a pure module of (state, parameters, rng).
 *
 * The orchestrator keeps each router node's `BanditState` in a state store (it is plain JSON), asks the module to
 * `decide` which child a request goes to, and applies feedback rewards with `update`. Nothing here does I/O or reads
 * the clock; randomness comes only from the `Rng` argument, so a seeded Rng gives exact, repeatable choices.
 */
import type { BuiltinRouterName } from '../plan/types.ts';
import type { Rng } from '../time/rng.ts';

/** What a router has learned about one child (arm). Rewards are in [0, 1]. */
export interface ArmStats {
  /** Feedback rewards received for this arm. */
  pulls: number;
  /** Sum of the rewards. */
  rewardSum: number;
  /** Sum of `reward` (a reward r counts as r of a success)… */
  successes: number;
  /** …and of `1 - reward`. */
  failures: number;
}

/** A router node's persisted state: one entry per child, in the node's child order. Plain JSON. */
export interface BanditState {
  arms: ArmStats[];
}

export interface RouteDecision {
  /** Index into the router node's children. */
  arm: number;
  /**
   * True when the choice was made to explore rather than to exploit what is known; absent for a router that
   * neither explores nor exploits (weighted-split, switch), so traces do not call its choices "exploit".
   */
  explore?: boolean;
  /** Each arm's value at decision time, as the router saw it (mean reward, Thompson sample, split weight…). */
  estimates: number[];
  /** Human text for traces, e.g. "exploit: arm 0 has the best mean reward 0.93 (14 pulls)". */
  reason: string;
}

/**
 * One built-in router. Method syntax on purpose: a `RouterModule<P>` is usable where a `RouterModule<unknown>` is
 * expected (the registry), and `parseParameters` is the only source of a `P`.
 */
export interface RouterModule<P> {
  name: BuiltinRouterName;
  /** Whether rewards change later decisions (false: feedback is still counted, but decisions ignore it). */
  learns: boolean;
  /**
   * Checks the node's `parameters` from the plan against its child count. Throws a `RouterParameterError` naming
   * the parameter and saying what to write instead.
   */
  parseParameters(raw: Record<string, unknown>, childCount: number, children?: readonly string[]): P;
  initialState(childCount: number): BanditState;
  /**
   * Picks a child. Does not change `state`. `message` is the Seldon message as it reaches the router node (only the
   * switch router reads it); a router that cannot route it throws a `NoMatchingRouteError`.
   */
  decide(state: BanditState, params: P, rng: Rng, message?: unknown): RouteDecision;
  /** Counts one pull of `arm` with `reward` in [0, 1] and returns the new state (the input is not changed). */
  update(state: BanditState, params: P, arm: number, reward: number): BanditState;
}

/** A router's parameters are wrong: names the parameter and says what to write instead. */
export class RouterParameterError extends Error {
  readonly router: BuiltinRouterName;
  readonly parameter: string;

  constructor(router: BuiltinRouterName, parameter: string, message: string) {
    super(`${router} router, parameter "${parameter}": ${message}`);
    this.name = 'RouterParameterError';
    this.router = router;
    this.parameter = parameter;
  }
}

/** A request the router has no child for (a switch router with no matching case and no default): a 400. */
export class NoMatchingRouteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoMatchingRouteError';
  }
}

/** Feedback that cannot be applied (reward outside [0, 1], arm out of range) or a state that does not fit the node. */
export class RouterInputError extends Error {
  readonly field: 'reward' | 'arm' | 'state';

  constructor(field: 'reward' | 'arm' | 'state', message: string) {
    super(message);
    this.name = 'RouterInputError';
    this.field = field;
  }
}
