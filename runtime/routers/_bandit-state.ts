/** Shared helpers for bandit state: creating it, checking it, counting feedback. */
import { RouterInputError, type ArmStats, type BanditState } from './types.ts';

export function emptyArm(): ArmStats {
  return { pulls: 0, rewardSum: 0, successes: 0, failures: 0 };
}

export function freshState(childCount: number): BanditState {
  return { arms: Array.from({ length: childCount }, emptyArm) };
}

/** Mean reward of an arm; an arm never pulled counts as 0 (as in Seldon's EpsilonGreedy). */
export function meanReward(arm: ArmStats): number {
  return arm.pulls > 0 ? arm.rewardSum / arm.pulls : 0;
}

/** Index of the largest value; ties go to the lowest index. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

export function checkArm(state: BanditState, arm: number): void {
  if (!Number.isInteger(arm) || arm < 0 || arm >= state.arms.length) {
    throw new RouterInputError(
      'arm',
      `arm ${String(arm)} is out of range: this router has ${state.arms.length} children (arms 0..${state.arms.length - 1})`,
    );
  }
}

export function checkReward(reward: number): void {
  if (typeof reward !== 'number' || !Number.isFinite(reward) || reward < 0 || reward > 1) {
    throw new RouterInputError(
      'reward',
      `reward must be a number between 0 and 1 inclusive, received ${String(reward)}; scale rewards into [0, 1] before sending feedback`,
    );
  }
}

export function checkStateFits(state: BanditState, childCount?: number): void {
  if (state.arms.length === 0 || (childCount !== undefined && state.arms.length !== childCount)) {
    throw new RouterInputError(
      'state',
      `router state has ${state.arms.length} arms but the node has ${childCount ?? 'at least 1'} children; reconcile it with reconcileState() first`,
    );
  }
}

/** Counts one pull of `arm` with `reward`: r of a success and 1 - r of a failure. Returns a new state. */
export function recordReward(state: BanditState, arm: number, reward: number): BanditState {
  checkArm(state, arm);
  checkReward(reward);
  return {
    arms: state.arms.map((a, i) =>
      i === arm
        ? {
            pulls: a.pulls + 1,
            rewardSum: a.rewardSum + reward,
            successes: a.successes + reward,
            failures: a.failures + (1 - reward),
          }
        : a,
    ),
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/**
 * Turns whatever a state store holds for a router (`undefined` the first time) into a `BanditState` with exactly
 * `childCount` arms: missing state starts fresh, arms for new children start fresh, arms beyond `childCount` (children
 * removed from the graph) are dropped. Throws a `RouterInputError` when the stored value is not a bandit state.
 */
export function reconcileState(stored: unknown, childCount: number): BanditState {
  if (stored === undefined || stored === null) return freshState(childCount);
  const arms = (stored as { arms?: unknown }).arms;
  if (typeof stored !== 'object' || !Array.isArray(arms)) {
    throw new RouterInputError('state', 'stored router state is not {arms: [...]}; delete the key to start afresh');
  }
  const checked: ArmStats[] = arms.slice(0, childCount).map((a: unknown, i) => {
    const s = a as Partial<ArmStats> | null;
    if (!s || !isCount(s.pulls) || !isCount(s.rewardSum) || !isCount(s.successes) || !isCount(s.failures)) {
      throw new RouterInputError(
        'state',
        `stored router state, arm ${i}: expected {pulls, rewardSum, successes, failures} as non-negative numbers`,
      );
    }
    return { pulls: s.pulls, rewardSum: s.rewardSum, successes: s.successes, failures: s.failures };
  });
  while (checked.length < childCount) checked.push(emptyArm());
  return { arms: checked };
}

/** Formats a number for a decision's reason text. */
export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}
