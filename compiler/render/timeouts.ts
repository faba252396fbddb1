/**
 * @module A function's Knative request timeout (`spec.template.spec.timeoutSeconds`), worked out from the plan's
 * per-node call timeouts.
 */
import type { DeploymentPlan, PlanFunction } from '../../runtime/plan/types.ts';

/** Knative's default `max-revision-timeout-seconds` (config-defaults): its webhook refuses a larger timeout. */
export const KNATIVE_MAX_TIMEOUT_SECONDS = 600;

/**
 * The longest chain of node-call timeouts from `start` down the graph, in milliseconds: a request to the
 * orchestrator may, at worst, wait on every node of its deepest path in turn. A node already on the path is not
 * followed again, so a cyclic plan cannot loop.
 */
export function longestPathMs(plan: DeploymentPlan, start: string, onPath: ReadonlySet<string> = new Set()): number {
  const node = plan.nodes[start];
  if (node === undefined || onPath.has(start)) return 0;
  const path = new Set(onPath).add(start);
  let deepest = 0;
  for (const child of node.children) deepest = Math.max(deepest, longestPathMs(plan, child, path));
  return node.timeoutMs + deepest;
}

/**
 * Seconds (rounded up, at least 1) that Knative lets a request to this function run: for the orchestrator, the
 * longest chain of node timeouts from the root; for any other function, the longest timeout of its nodes.
 */
export function functionTimeoutSeconds(plan: DeploymentPlan, fn: PlanFunction): number {
  const ms =
    fn.kind === 'orchestrator'
      ? longestPathMs(plan, plan.root)
      : Math.max(0, ...fn.nodes.map((name) => plan.nodes[name]?.timeoutMs ?? 0));
  return Math.max(1, Math.ceil(ms / 1000));
}
