/** @module A function's canary share on Knative: the node's own `canary`, else the layer below (defaults). */
import type { CanaryPolicy } from '../../runtime/plan/types.ts';
import type { CanarySpec } from '../spec/index.ts';

/** @param layers weakest first, e.g. `spec.defaults.canary`, then the node's own. Undefined: no canary. */
export function resolveCanary(layers: ReadonlyArray<CanarySpec | undefined>): CanaryPolicy | undefined {
  let found: CanarySpec | undefined;
  for (const layer of layers) if (layer !== undefined) found = layer;
  return found === undefined ? undefined : { percent: found.percent };
}
