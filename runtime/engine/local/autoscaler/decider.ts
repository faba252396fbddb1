/**
 * @module The scaling decision: a pure function from observed concurrency, ready replicas and the previous state
 * to a desired replica count, following Knative Serving's KPA (`pkg/autoscaler/scaling/autoscaler.go` `Scale`)
 * case by case, plus the min/max bounds that Knative's KPA reconciler applies after it (`applyBounds`).
 *
 * - desired = ceil(observed / (target × targetUtilization)), for the stable and for the panic average;
 * - each tick may grow to at most ceil(maxScaleUpRate × ready) and shrink to no less than
 *   floor(ready / maxScaleDownRate), with ready counted as at least 1;
 * - panic starts, or is extended, when the panic pod count ceil(panicAverage / target) is at least
 *   panicThreshold × ready (Knative compares pod counts, so 71 concurrent requests on one replica at a target of 70
 *   is already 2 pods = 200 %); while panicking the larger of the stable and panic counts is used and the scale never
 *   goes down; panic ends once a whole stable window has passed since the threshold was last crossed;
 * - with a scale-down delay, the result is the maximum desired scale over that delay (a `TimeWindow`);
 * - no data gives `valid: false`, with the previous decision (or the initial scale) as `desired`.
 *
 * The decider asks for 0 only when the stable average is exactly 0, i.e. no request was in flight during the whole
 * stable window; waiting out the scale-to-zero grace period is the scaler's job.
 */
import type { ScalingPolicy } from '../../../plan/types.ts';
import { TimeWindow } from './window.ts';

/** Cluster-wide knobs of Knative's autoscaler (config-autoscaler) that the plan does not carry per function. */
export interface DeciderOptions {
  /** Growth limit per tick, as a factor of ready replicas (Knative: 1000). */
  maxScaleUpRate: number;
  /** Shrink limit per tick, as a divisor of ready replicas (Knative: 2). */
  maxScaleDownRate: number;
  /** Spare capacity wanted for bursts: 0 = none, -1 = unlimited (Knative: 211). Only feeds `excessBurstCapacity`. */
  targetBurstCapacity: number;
  /** The autoscaler's tick, used as the slot width of the scale-down delay window (Knative: 2 s). */
  tickIntervalMs: number;
}

export const KNATIVE_DECIDER_DEFAULTS: Readonly<DeciderOptions> = Object.freeze({
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  targetBurstCapacity: 211,
  tickIntervalMs: 2000,
});

/** Knative's `autoscaling.TargetMin`: the per-replica target never drops below this. */
const TARGET_MIN = 0.01;
/** Knative's `container-concurrency-target-default`, used only if a policy carries no positive target. */
const DEFAULT_TARGET = 100;

/** What the decider remembers between ticks. Plain data: `decide` returns a new one and never mutates it. */
export interface DeciderState {
  /** When the panic threshold was last crossed; `null` when not panicking. */
  readonly panicTime: number | null;
  /** The highest desired scale reached during the current panic. */
  readonly maxPanicPods: number;
  /** Desired scales over the scale-down delay; `null` when the policy has no delay. */
  readonly delayWindow: TimeWindow | null;
  /** The last valid decision (bounded), `null` before any data. */
  readonly lastDesired: number | null;
}

/**
 * The state of a new decider. As in Knative, a decider created while more than one replica is ready starts in
 * panic mode at that scale: it has no history yet, and must not scale down before it has some.
 */
export function newDeciderState(readyReplicas = 0, now = 0): DeciderState {
  const ready = Math.max(0, Math.floor(readyReplicas));
  return { panicTime: ready > 1 ? now : null, maxPanicPods: ready, delayWindow: null, lastDesired: null };
}

export interface DeciderInput {
  policy: ScalingPolicy;
  /** Average concurrency over the stable window; `undefined` = no data. */
  stableAverage: number | undefined;
  /** Average concurrency over the panic window; `undefined` = no data. */
  panicAverage: number | undefined;
  readyReplicas: number;
  state: DeciderState;
}

export interface DeciderResult {
  /** Replicas wanted, within [minScale, maxScale]. */
  desired: number;
  panicking: boolean;
  /**
   * Knative's excess burst capacity: floor(ready × per-replica capacity − targetBurstCapacity − panicAverage);
   * negative means a burst of `targetBurstCapacity` would not fit (0 when TBC is 0, -1 when it is unlimited).
   */
  excessBurstCapacity: number;
  /** False when there was no data: `desired` is then the last decision (or the initial scale) and nothing changed. */
  valid: boolean;
  state: DeciderState;
}

/**
 * Knative's `ResolveMetricTarget`: `total` is the per-replica concurrency (the target, capped by a hard
 * containerConcurrency) and `target` the part of it the autoscaler aims for (× targetUtilization).
 */
export function metricTarget(policy: Pick<ScalingPolicy, 'target' | 'targetUtilization' | 'containerConcurrency'>): {
  target: number;
  total: number;
} {
  const cc = policy.containerConcurrency;
  let total = policy.target > 0 ? policy.target : cc > 0 ? cc : DEFAULT_TARGET;
  if (cc > 0 && total > cc) total = cc;
  const target = total * policy.targetUtilization;
  return { target: target >= TARGET_MIN ? target : TARGET_MIN, total };
}

/** Knative's `applyBounds`: clamps to [minScale, maxScale], where a maxScale of 0 means unbounded. */
export function applyBounds(minScale: number, maxScale: number, x: number): number {
  if (x < minScale) return minScale;
  if (maxScale > 0 && x > maxScale) return maxScale;
  return x;
}

function observed(x: number | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** One autoscaling decision at `now` (ms). Pure: no I/O, no clock, never throws for any numbers it is given. */
export function decide(input: DeciderInput, now: number, options: DeciderOptions = KNATIVE_DECIDER_DEFAULTS): DeciderResult {
  const { policy, state, stableAverage, panicAverage } = input;
  if (!observed(stableAverage) || !observed(panicAverage)) {
    return {
      desired: state.lastDesired ?? applyBounds(policy.minScale, policy.maxScale, policy.initialScale),
      panicking: state.panicTime !== null,
      excessBurstCapacity: 0,
      valid: false,
      state,
    };
  }

  const ready = Math.max(0, Math.floor(input.readyReplicas) || 0);
  // Use 1 if there are no ready replicas, so that a function at zero can grow.
  const readyCount = Math.max(1, ready);
  const { target, total } = metricTarget(policy);

  // Growing by at least one replica is always allowed, however conservative the rate (hence ceil).
  const maxScaleUp = Math.ceil(options.maxScaleUpRate * readyCount);
  const maxScaleDown = Math.floor(readyCount / options.maxScaleDownRate);

  const stablePods = Math.ceil(stableAverage / target);
  const panicPods = Math.ceil(panicAverage / target);
  const desiredStable = Math.min(Math.max(stablePods, maxScaleDown), maxScaleUp);
  const desiredPanic = Math.min(Math.max(panicPods, maxScaleDown), maxScaleUp);

  const overPanicThreshold = panicPods / readyCount >= policy.panicThresholdPercentage / 100;
  let panicTime = state.panicTime;
  let maxPanicPods = state.maxPanicPods;
  if (overPanicThreshold) {
    // Begin panicking, or extend the panic.
    panicTime = now;
  } else if (panicTime !== null && panicTime + policy.stableWindowMs < now) {
    // The surge has made its way into the stable window: stop panicking.
    panicTime = null;
    maxPanicPods = 0;
  }

  let desired = desiredStable;
  if (panicTime !== null) {
    // The stable average can exceed the panic one (a burst just ended): provision for the larger.
    desired = Math.max(desiredStable, desiredPanic);
    // No scale-down while panicking; only increases apply.
    maxPanicPods = Math.max(maxPanicPods, desired);
    desired = maxPanicPods;
  }

  let delayWindow: TimeWindow | null = null;
  if (policy.scaleDownDelayMs > 0) {
    delayWindow =
      state.delayWindow?.durationMs === policy.scaleDownDelayMs && state.delayWindow.granularityMs === options.tickIntervalMs
        ? state.delayWindow
        : new TimeWindow(policy.scaleDownDelayMs, options.tickIntervalMs);
    delayWindow = delayWindow.record(now, desired);
    desired = delayWindow.current();
  }

  const bounded = applyBounds(policy.minScale, policy.maxScale, desired);

  const tbc = options.targetBurstCapacity;
  const excessBurstCapacity = tbc === 0 ? 0 : tbc > 0 ? Math.floor(ready * total - tbc - panicAverage) : -1;

  return {
    desired: bounded,
    panicking: panicTime !== null,
    excessBurstCapacity,
    valid: true,
    state: { panicTime, maxPanicPods, delayWindow, lastDesired: bounded },
  };
}
