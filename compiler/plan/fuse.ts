/**
 * @module Node fusion: runs nodes inside the orchestrator function when that is safe, removing a network hop.
 *
 * With `spec.fusion: auto`, a component or ONNX node is fused into the orchestrator when it is next to it —
 * the root, or a child of a node that already runs in the orchestrator (a built-in router or combiner, or a
 * fused node) — and when it would run the same way there: on CPU (the orchestrator's device) and with exactly
 * the orchestrator's scaling policy (so the autoscaler's decisions for the pair are the decisions for each).
 * A fused node keeps its name, its span and its `meta.requestPath` entry (which then names the orchestrator);
 * its model file moves to `models/<node>.onnx` in the orchestrator's bundle directory.
 */
import type { DeploymentPlan, PlanFunction, PlanNode } from '../../runtime/plan/types.ts';
import { ORCHESTRATOR } from './defaults.ts';

export function fuseIntoOrchestrator(plan: DeploymentPlan): DeploymentPlan {
  const orchestrator = plan.functions[ORCHESTRATOR]!;
  const nodes: Record<string, PlanNode> = { ...plan.nodes };
  const functions: Record<string, PlanFunction> = { ...plan.functions };
  const fused: string[] = [];
  const parentOf = new Map<string, string>(plan.edges.map(([parent, child]) => [child, parent]));

  // plan.edges is in walk order, so a parent's fate is known before its children are looked at.
  for (const name of [plan.root, ...plan.edges.map(([, child]) => child)]) {
    const node = nodes[name]!;
    const own = functions[node.function];
    if (own === undefined || own.kind === 'orchestrator') continue;
    const parent = parentOf.get(name);
    const nextToOrchestrator = parent === undefined || nodes[parent]!.function === ORCHESTRATOR;
    if (!nextToOrchestrator || !fits(own, orchestrator)) continue;
    const implementation = node.implementation.kind === 'onnx' ? { ...node.implementation, modelFile: `models/${name}.onnx` } : node.implementation;
    nodes[name] = { ...node, function: ORCHESTRATOR, implementation };
    delete functions[own.name];
    fused.push(name);
  }
  if (fused.length === 0) return { ...plan, fusion: 'auto' };
  functions[ORCHESTRATOR] = { ...orchestrator, nodes: [...orchestrator.nodes, ...fused].sort() };
  return { ...plan, nodes, functions, fusion: 'auto' };
}

function fits(fn: PlanFunction, orchestrator: PlanFunction): boolean {
  return (
    fn.nodes.length === 1 &&
    fn.device.kind === orchestrator.device.kind &&
    JSON.stringify(sorted(fn.scaling)) === JSON.stringify(sorted(orchestrator.scaling))
  );
}

function sorted(record: object): Array<[string, unknown]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
