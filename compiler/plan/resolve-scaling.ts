/**
 * @module A function's scaling policy: Knative's defaults, then each layer of the file in order (e.g.
 * `spec.defaults.scaling`, then the node's own), then the command-line overrides.
 */
import type { ScalingPolicy } from '../../runtime/plan/types.ts';
import type { ScalingSpec } from '../spec/index.ts';
import { DEFAULT_SCALING } from './defaults.ts';

/** A file layer in the plan's units (percentage → fraction, durations already in ms). */
function fromSpec(spec: ScalingSpec): Partial<ScalingPolicy> {
  const out: Partial<ScalingPolicy> = {};
  if (spec.minScale !== undefined) out.minScale = spec.minScale;
  if (spec.maxScale !== undefined) out.maxScale = spec.maxScale;
  if (spec.initialScale !== undefined) out.initialScale = spec.initialScale;
  if (spec.target !== undefined) out.target = spec.target;
  if (spec.targetUtilization !== undefined) out.targetUtilization = spec.targetUtilization / 100;
  if (spec.containerConcurrency !== undefined) out.containerConcurrency = spec.containerConcurrency;
  if (spec.scaleToZeroGracePeriod !== undefined) out.scaleToZeroGracePeriodMs = spec.scaleToZeroGracePeriod;
  if (spec.stableWindow !== undefined) out.stableWindowMs = spec.stableWindow;
  if (spec.panicWindowPercentage !== undefined) out.panicWindowPercentage = spec.panicWindowPercentage;
  if (spec.panicThresholdPercentage !== undefined) out.panicThresholdPercentage = spec.panicThresholdPercentage;
  if (spec.scaleDownDelay !== undefined) out.scaleDownDelayMs = spec.scaleDownDelay;
  return out;
}

/**
 * @param layers file layers, weakest first (undefined layers are skipped)
 * @param overrides command-line values, which win
 */
export function resolveScaling(layers: ReadonlyArray<ScalingSpec | undefined>, overrides: Partial<ScalingPolicy> = {}): ScalingPolicy {
  const policy: ScalingPolicy = { ...DEFAULT_SCALING };
  for (const layer of layers) if (layer !== undefined) Object.assign(policy, fromSpec(layer));
  for (const [key, value] of Object.entries(overrides) as Array<[keyof ScalingPolicy, number | undefined]>) {
    if (value !== undefined) policy[key] = value;
  }
  return policy;
}
