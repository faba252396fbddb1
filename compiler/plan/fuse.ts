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

/** Whether a node runs (or, with `spec.fusion: auto`, would run) inside the orchestrator, and if not, why. */
export interface FusionDecision {
  node: string;
  fused: boolean;
  /** Why the node keeps its own function (absent when fused). */
  reason?: string;
}

/**
 * The fusion rule applied to each component or ONNX node, in walk order: on a plan built with `fusion: auto` it
 * says what was fused and why the rest was not; on one built with `fusion: off`, what `auto` would fuse.
 */
export function fusionDecisions(plan: DeploymentPlan): FusionDecision[] {
  const orchestrator = plan.functions[ORCHESTRATOR]!;
  const parentOf = new Map<string, string>(plan.edges.map(([parent, child]) => [child, parent]));
  /** Nodes that run, or would run, in the orchestrator. */
  const inside = new Set<string>();
  const decisions: FusionDecision[] = [];
  // plan.edges is in walk order, so a parent's fate is known before its children are looked at.
  for (const name of [plan.root, ...plan.edges.map(([, child]) => child)]) {
    const node = plan.nodes[name]!;
    const own = plan.functions[node.function];
    if (own === undefined || own.kind === 'orchestrator') {
      inside.add(name);
      if (node.implementation.kind === 'onnx' || node.implementation.kind === 'component') decisions.push({ node: name, fused: true });
      continue;
    }
    const parent = parentOf.get(name);
    const reason =
      parent !== undefined && !inside.has(parent)
        ? `its parent "${parent}" runs in its own function`
        : misfit(own, orchestrator);
    if (reason === undefined) inside.add(name);
    decisions.push(reason === undefined ? { node: name, fused: true } : { node: name, fused: false, reason });
  }
  return decisions;
}

export function fuseIntoOrchestrator(plan: DeploymentPlan): DeploymentPlan {
  const orchestrator = plan.functions[ORCHESTRATOR]!;
  const nodes: Record<string, PlanNode> = { ...plan.nodes };
  const functions: Record<string, PlanFunction> = { ...plan.functions };
  const fused: string[] = [];
  for (const decision of fusionDecisions(plan)) {
    const node = nodes[decision.node]!;
    if (!decision.fused || node.function === ORCHESTRATOR) continue;
    const implementation = node.implementation.kind === 'onnx' ? { ...node.implementation, modelFile: `models/${decision.node}.onnx` } : node.implementation;
    delete functions[node.function];
    nodes[decision.node] = { ...node, function: ORCHESTRATOR, implementation };
    fused.push(decision.node);
  }
  if (fused.length === 0) return { ...plan, fusion: 'auto' };
  functions[ORCHESTRATOR] = { ...orchestrator, nodes: [...orchestrator.nodes, ...fused].sort() };
  return { ...plan, nodes, functions, fusion: 'auto' };
}

/** Why `fn` cannot run inside the orchestrator, or undefined when it can. */
function misfit(fn: PlanFunction, orchestrator: PlanFunction): string | undefined {
  if (fn.nodes.length !== 1) return `its function "${fn.name}" serves ${fn.nodes.length} nodes`;
  if (fn.device.kind !== orchestrator.device.kind) return `it runs on ${fn.device.kind}, the orchestrator on ${orchestrator.device.kind}`;
  const differences = Object.keys(fn.scaling)
    .sort()
    .filter((key) => JSON.stringify(fn.scaling[key as keyof typeof fn.scaling]) !== JSON.stringify(orchestrator.scaling[key as keyof typeof orchestrator.scaling]))
    .map((key) => `${key} ${JSON.stringify(fn.scaling[key as keyof typeof fn.scaling])} (orchestrator ${JSON.stringify(orchestrator.scaling[key as keyof typeof orchestrator.scaling])})`);
  if (differences.length > 0) return `its scaling differs from the orchestrator's: ${differences.join(', ')}`;
  return undefined;
}
