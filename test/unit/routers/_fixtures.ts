/** Bandit states shared by the router tests. */
import type { ArmStats, BanditState } from '../../../runtime/routers/types.ts';

export function arm(pulls: number, rewardSum: number): ArmStats {
  return { pulls, rewardSum, successes: rewardSum, failures: pulls - rewardSum };
}

/** Three arms: means 0.4 (10 pulls), 0.7 (10 pulls), never pulled. */
export function threeArms(): BanditState {
  return { arms: [arm(10, 4), arm(10, 7), arm(0, 0)] };
}
