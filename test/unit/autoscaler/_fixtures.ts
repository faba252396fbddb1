/** @module Test fixtures for the autoscaler: Knative's default scaling policy, with overrides. */
import type { ScalingPolicy } from '../../../runtime/plan/types.ts';

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

export const SECOND = 1000;
export const MINUTE = 60_000;
