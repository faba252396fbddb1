/** @module What GET /api/v1.0/routers shows: each router's arms with their pulls, mean reward and share. */
import type { RouterSnapshot } from './router-runner.ts';

export interface RouterView {
  node: string;
  router: string;
  learns: boolean;
  /** False when the store could not be read just now: this is the replica's last known state. */
  fresh: boolean;
  arms: Array<{ child: string; pulls: number; rewardSum: number; meanReward: number | null; share: number }>;
  totalPulls: number;
}

export function describeRouters(snapshots: RouterSnapshot[]): RouterView[] {
  return snapshots.map((snapshot) => {
    const total = snapshot.state.arms.reduce((sum, arm) => sum + arm.pulls, 0);
    return {
      node: snapshot.node,
      router: snapshot.router,
      learns: snapshot.learns,
      fresh: snapshot.fresh,
      totalPulls: total,
      arms: snapshot.state.arms.map((arm, i) => ({
        child: snapshot.children[i] ?? `arm ${i}`,
        pulls: arm.pulls,
        rewardSum: arm.rewardSum,
        meanReward: arm.pulls > 0 ? arm.rewardSum / arm.pulls : null,
        share: total > 0 ? arm.pulls / total : 0,
      })),
    };
  });
}
