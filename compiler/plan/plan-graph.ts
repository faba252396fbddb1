/**
 * @module spec → DeploymentPlan: a pure function of the validated spec, the component methods found at
 * compile time and the command-line overrides. The bundler, the manifest renderer and both engines read
 * its output.
 */
import type { DeploymentPlan, PlanFunction, PlanNode } from '../../runtime/plan/types.ts';
import type { InferenceGraph } from '../spec/index.ts';
import { DEFAULT_DEVICE, DEFAULT_NAMESPACE, GRAPH_LABEL, ORCHESTRATOR, PART_OF_LABEL, PLAN_API_VERSION, bundlePath } from './defaults.ts';
import type { PlanOverrides } from './overrides.ts';
import { resolveCanary } from './resolve-canary.ts';
import { resolveDevice } from './resolve-device.ts';
import { functionKindOf, resolveImplementation } from './resolve-implementation.ts';
import { resolveLogger } from './resolve-logger.ts';
import { resolveResources } from './resolve-resources.ts';
import { resolveScaling } from './resolve-scaling.ts';
import { resolveState } from './resolve-state.ts';
import { resolveTimeout } from './resolve-timeout.ts';
import { resolveTracing } from './resolve-tracing.ts';
import { shadowsOf, walkGraph } from './walk.ts';
import { fuseIntoOrchestrator } from './fuse.ts';

export interface PlanOptions {
  /** Command-line values; they win over the file. */
  overrides?: PlanOverrides;
  /** Component methods each component node's module exports (from compiler/validate `validateGraph`). */
  componentMethods?: Record<string, readonly string[]>;
}

/**
 * Plans a validated graph. Deterministic: the same spec gives the same plan, key order included, whatever
 * order the nodes are declared in.
 * @example
 * const result = await validateGraph(data, { graphDir });
 * if (result.ok) planGraph(result.spec, { componentMethods: result.componentMethods });
 */
export function planGraph(graph: InferenceGraph, options: PlanOptions = {}): DeploymentPlan {
  const { spec, metadata } = graph;
  const overrides = options.overrides ?? {};
  const { order, edges } = walkGraph(spec);

  const nodes: Record<string, PlanNode> = {};
  const nodeFunctions: Record<string, PlanFunction> = {};
  const builtins: string[] = [];
  for (const name of order) {
    const node = spec.nodes[name]!;
    const implementation = resolveImplementation(name, node, options.componentMethods?.[name]);
    const kind = functionKindOf(implementation);
    const fn = kind === 'orchestrator' ? ORCHESTRATOR : name;
    const logger = resolveLogger(node.logger);
    const shadows = shadowsOf(node);
    nodes[name] = {
      name,
      type: node.type,
      children: [...(node.children ?? [])],
      implementation,
      function: fn,
      timeoutMs: resolveTimeout(node.timeout, spec.defaults?.timeout),
      ...(logger === undefined ? {} : { logger }),
      ...(shadows.length === 0 ? {} : { shadows: [...shadows] }),
    };
    if (kind === 'orchestrator') {
      builtins.push(name);
      continue;
    }
    // A remote node runs on its own server: the orchestrator calls it, and no function is built.
    if (kind === undefined) continue;
    const canary = resolveCanary([spec.defaults?.canary, node.canary]);
    nodeFunctions[name] = {
      name,
      kind,
      nodes: [name],
      device: resolveDevice(node.device, spec.defaults?.device),
      resources: resolveResources([spec.defaults?.resources, node.resources]),
      scaling: resolveScaling([spec.defaults?.scaling, node.scaling], overrides.scaling),
      bundle: bundlePath(name),
      ...(canary === undefined ? {} : { canary }),
    };
  }

  const orchestrator: PlanFunction = {
    name: ORCHESTRATOR,
    kind: 'orchestrator',
    nodes: builtins,
    device: { ...DEFAULT_DEVICE },
    resources: resolveResources([spec.orchestrator?.resources]),
    scaling: resolveScaling([spec.orchestrator?.scaling], overrides.scaling),
    bundle: bundlePath(ORCHESTRATOR),
  };
  const orchestratorCanary = resolveCanary([spec.orchestrator?.canary]);
  if (orchestratorCanary !== undefined) orchestrator.canary = orchestratorCanary;

  const plan: DeploymentPlan = {
    apiVersion: PLAN_API_VERSION,
    graph: metadata.name,
    namespace: overrides.namespace ?? metadata.namespace ?? DEFAULT_NAMESPACE,
    root: spec.root,
    nodes,
    edges,
    functions: { [ORCHESTRATOR]: orchestrator, ...nodeFunctions },
    state: resolveState(spec.state, metadata.name, overrides.state),
    tracing: resolveTracing(spec.tracing),
    labels: { [PART_OF_LABEL]: 'switchyard', [GRAPH_LABEL]: metadata.name },
    fusion: 'off',
    grpc: { enabled: spec.grpc?.enabled ?? true },
    activation: spec.activation ?? 'graph',
  };
  const logger = resolveLogger(spec.logger);
  if (logger !== undefined) plan.logger = logger;
  return spec.fusion === 'auto' ? fuseIntoOrchestrator(plan) : plan;
}
