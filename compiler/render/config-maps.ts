/**
 * @module The ConfigMaps of a graph: `<graph>-plan` (the plan, for the deployer and for people reading the
 * cluster) and one `<graph>-<function>-bundle` per function (its esbuild bundle, mounted into its pods).
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { bundleConfigMapName, FUNCTION_LABEL, PLAN_KEY, planConfigMapName } from './names.ts';
import type { BundleFile, ConfigMap } from './types.ts';

/** A JSON value with the keys of every object sorted; arrays keep their order (it means something). */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** The plan as `plan.json`: sorted keys, two-space indent, a final newline, the same bytes for the same plan. */
export function planJson(plan: DeploymentPlan): string {
  return `${JSON.stringify(sortKeysDeep(plan), null, 2)}\n`;
}

export function planConfigMap(plan: DeploymentPlan): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: planConfigMapName(plan.graph), namespace: plan.namespace, labels: { ...plan.labels } },
    data: { [PLAN_KEY]: planJson(plan) },
  };
}

export function bundleConfigMap(plan: DeploymentPlan, fn: string, bundle: BundleFile): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: bundleConfigMapName(plan.graph, fn),
      namespace: plan.namespace,
      labels: { ...plan.labels, [FUNCTION_LABEL]: fn },
    },
    data: { [bundle.fileName]: bundle.contents },
  };
}
