/** @module Where a graph's payloads go as CloudEvents (spec.logger, nodes' loggers): one line per logger, for `up`. */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';

export function payloadLogReport(plan: DeploymentPlan): string[] {
  const lines = plan.logger === undefined ? [] : [`graph (${plan.logger.mode}) → ${plan.logger.url}`];
  for (const node of Object.values(plan.nodes)) if (node.logger !== undefined) lines.push(`${node.name} (${node.logger.mode}) → ${node.logger.url}`);
  return lines;
}
