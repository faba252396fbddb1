/** Knative's default scaling policy as a plain `ScalingPolicy`, for tests that build plans by hand. */
import type { ScalingPolicy } from '../../runtime/plan/types.ts';

/** Knative's defaults: target 100 × utilization 0.7, 60 s stable window, 10 % panic window, 200 % threshold, 30 s grace. */
export function knativePolicy(overrides: Partial<ScalingPolicy> = {}): ScalingPolicy {
  return {
    minScale: 0,
    maxScale: 0,
    initialScale: 1,
    target: 100,
    targetUtilization: 0.7,
    containerConcurrency: 0,
    scaleToZeroGracePeriodMs: 30_000,
    stableWindowMs: 60_000,
    panicWindowPercentage: 10,
    panicThresholdPercentage: 200,
    scaleDownDelayMs: 0,
    ...overrides,
  };
}
