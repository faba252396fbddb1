/**
 * @module A function's `ScalingPolicy` as Knative's `autoscaling.knative.dev/*` revision annotations.
 *
 * The plan's numbers already mean what Knative's mean (DESIGN.md, "Scaling"); this file only changes units:
 * durations from milliseconds to Go duration strings, the utilisation from a fraction to a percentage, and
 * every value to a string, because annotations are strings.
 */
import type { ScalingPolicy } from '../../runtime/plan/types.ts';

const PREFIX = 'autoscaling.knative.dev/';

/** Knative Pod Autoscaler: the class that understands concurrency targets and panic mode. */
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';

/** The annotation keys, one constant per knob, so that tests and the deployer name them the same way. */
export const AUTOSCALING_ANNOTATIONS = {
  class: `${PREFIX}class`,
  metric: `${PREFIX}metric`,
  minScale: `${PREFIX}min-scale`,
  maxScale: `${PREFIX}max-scale`,
  initialScale: `${PREFIX}initial-scale`,
  target: `${PREFIX}target`,
  targetUtilizationPercentage: `${PREFIX}target-utilization-percentage`,
  window: `${PREFIX}window`,
  panicWindowPercentage: `${PREFIX}panic-window-percentage`,
  panicThresholdPercentage: `${PREFIX}panic-threshold-percentage`,
  scaleDownDelay: `${PREFIX}scale-down-delay`,
  scaleToZeroPodRetentionPeriod: `${PREFIX}scale-to-zero-pod-retention-period`,
} as const;

/**
 * A duration in milliseconds as a Go duration string (`time.ParseDuration`): whole seconds as `"60s"`,
 * anything else as `"1500ms"`.
 */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A number as Knative parses it (`strconv.ParseFloat`), without binary noise such as `70.00000000000001`. */
export function knativeNumber(value: number): string {
  return String(Number(value.toFixed(6)));
}

/**
 * The revision annotations for a scaling policy.
 *
 * `scaleToZeroGracePeriodMs` becomes `scale-to-zero-pod-retention-period`: Knative's own
 * `scale-to-zero-grace-period` is cluster-wide (config-autoscaler) and cannot be set per revision; the
 * retention period is the per-revision knob with the local engine's meaning, the time the last replica stays
 * up after traffic stops.
 */
export function autoscalingAnnotations(scaling: ScalingPolicy): Record<string, string> {
  const a = AUTOSCALING_ANNOTATIONS;
  return {
    [a.class]: KPA_CLASS,
    [a.metric]: 'concurrency',
    [a.minScale]: String(scaling.minScale),
    [a.maxScale]: String(scaling.maxScale),
    [a.initialScale]: String(scaling.initialScale),
    [a.target]: knativeNumber(scaling.target),
    [a.targetUtilizationPercentage]: knativeNumber(scaling.targetUtilization * 100),
    [a.window]: goDuration(scaling.stableWindowMs),
    [a.panicWindowPercentage]: knativeNumber(scaling.panicWindowPercentage),
    [a.panicThresholdPercentage]: knativeNumber(scaling.panicThresholdPercentage),
    [a.scaleDownDelay]: goDuration(scaling.scaleDownDelayMs),
    [a.scaleToZeroPodRetentionPeriod]: goDuration(scaling.scaleToZeroGracePeriodMs),
  };
}
