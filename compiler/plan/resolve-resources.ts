/** @module A function's resources: requests and limits, each field from the strongest layer that sets it. */
import type { ResourcePolicy } from '../../runtime/plan/types.ts';
import type { ResourcesSpec } from '../spec/index.ts';

/** @param layers weakest first, e.g. `spec.defaults.resources`, then the node's own. */
export function resolveResources(layers: ReadonlyArray<ResourcesSpec | undefined>): ResourcePolicy {
  const policy: ResourcePolicy = { requests: {}, limits: {} };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.cpu !== undefined) policy.requests.cpu = layer.cpu;
    if (layer.memory !== undefined) policy.requests.memory = layer.memory;
    if (layer.limits?.cpu !== undefined) policy.limits.cpu = layer.limits.cpu;
    if (layer.limits?.memory !== undefined) policy.limits.memory = layer.limits.memory;
  }
  const order = <T extends { cpu?: string; memory?: string }>(q: T): T => {
    const out = {} as T;
    if (q.cpu !== undefined) out.cpu = q.cpu;
    if (q.memory !== undefined) out.memory = q.memory;
    return out;
  };
  return { requests: order(policy.requests), limits: order(policy.limits) };
}
