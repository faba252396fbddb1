/**
 * @module What `compile` and `up` say about node fusion: with `spec.fusion: auto`, which nodes run inside the
 * orchestrator and why each other one keeps its own function; with fusion off, which nodes `auto` would fuse
 * (a network hop less per request), as a hint.
 */
import { fusionDecisions } from '../plan/fuse.ts';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';

export function fusionReport(plan: DeploymentPlan): string[] {
  const decisions = fusionDecisions(plan);
  const fused = decisions.filter((d) => d.fused).map((d) => d.node);
  if (plan.fusion === 'off') {
    if (fused.length === 0) return [];
    return [`hint: spec.fusion: auto would run ${names(fused)} inside the orchestrator: one network hop less per request`];
  }
  const verb = fused.length === 1 ? 'runs' : 'run';
  const lines = [`fusion (spec.fusion: auto): ${fused.length === 0 ? 'no node runs' : `${names(fused)} ${verb}`} inside the orchestrator`];
  for (const kept of decisions.filter((d) => !d.fused)) lines.push(`  ${kept.node} keeps its own function: ${kept.reason}`);
  return lines;
}

function names(nodes: string[]): string {
  return nodes.map((n) => `"${n}"`).join(', ');
}
