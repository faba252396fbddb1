import { describe, expect, it } from 'vitest';
import type { ScalingPolicy } from '../../../runtime/plan/types.ts';
import {
  decide,
  KNATIVE_DECIDER_DEFAULTS,
  metricTarget,
  newDeciderState,
  type DeciderOptions,
  type DeciderResult,
  type DeciderState,
} from '../../../runtime/engine/local/autoscaler/decider.ts';
import { knativePolicy, MINUTE, SECOND } from './_fixtures.ts';

const NOW = 1_000_000;

/**
 * Knative's test harness (autoscaler_test.go `newTestAutoscaler`): TargetValue `target` (utilization 1 here, so
 * target × utilization is exactly it), panic threshold 200 %, max scale up/down rate 10, stable window 60 s.
 */
function harness(target: number, overrides: Partial<ScalingPolicy> = {}): ScalingPolicy {
  return knativePolicy({ target, targetUtilization: 1, ...overrides });
}
const HARNESS_OPTIONS: DeciderOptions = { ...KNATIVE_DECIDER_DEFAULTS, maxScaleUpRate: 10, maxScaleDownRate: 10 };

/** A decider that keeps its state between calls, like Knative's `autoscaler` struct. */
function stepper(policy: ScalingPolicy, options: DeciderOptions = HARNESS_OPTIONS, state: DeciderState = newDeciderState()) {
  return (stable: number | undefined, panic: number | undefined, ready: number, now: number): DeciderResult => {
    const result = decide({ policy, stableAverage: stable, panicAverage: panic, readyReplicas: ready, state }, now, options);
    state = result.state;
    return result;
  };
}

interface Case {
  label: string;
  policy: ScalingPolicy;
  options?: Partial<DeciderOptions>;
  state?: DeciderState;
  stable: number | undefined;
  panic: number | undefined;
  ready: number;
  want: number;
  wantEBC?: number;
  wantPanicking?: boolean;
  wantInvalid?: boolean;
}

describe('decide: Knative TestAutoscalerScale cases', () => {
  const panicking5: DeciderState = { panicTime: NOW - 5 * SECOND, maxPanicPods: 5, delayWindow: null, lastDesired: 5 };
  const cases: Case[] = [
    // AutoscalerNoDataAtZeroNoAutoscale: zero concurrency is data, and asks for 0.
    { label: 'zero concurrency → 0', policy: harness(10), options: { targetBurstCapacity: 100 }, stable: 0, panic: 0, ready: 1, want: 0, wantEBC: 10 - 100 },
    { label: 'unlimited TBC → EBC -1', policy: harness(181), options: { targetBurstCapacity: -1 }, stable: 21, panic: 26, ready: 1, want: 1, wantEBC: -1 },
    { label: 'zero TBC → EBC 0', policy: harness(10), options: { targetBurstCapacity: 0 }, stable: 50, panic: 49, ready: 1, want: 5, wantEBC: 0 },
    { label: 'stable mode, no change', policy: harness(10), options: { targetBurstCapacity: 100 }, stable: 50, panic: 50, ready: 1, want: 5, wantEBC: Math.floor(10 - 100 - 50) },
    {
      label: 'panic: stable larger than panic → stable count',
      policy: harness(1),
      options: { targetBurstCapacity: 100 },
      state: panicking5,
      stable: 50,
      panic: 30,
      ready: 5,
      want: 50,
      wantEBC: 5 - 100 - 30,
      wantPanicking: true,
    },
    {
      label: 'panic: stable less than panic → panic count',
      policy: harness(1),
      options: { targetBurstCapacity: 100 },
      state: panicking5,
      stable: 20,
      panic: 30,
      ready: 5,
      want: 30,
      wantEBC: 5 - 100 - 30,
      wantPanicking: true,
    },
    { label: 'stable mode, already scaled', policy: harness(10), options: { targetBurstCapacity: 100 }, stable: 50, panic: 50, ready: 5, want: 5, wantEBC: 50 - 100 - 50, wantPanicking: false },
    {
      label: 'small scale-up rate still grows by one',
      policy: harness(1),
      options: { targetBurstCapacity: 1982, maxScaleUpRate: 1.1 },
      stable: 3,
      panic: 3.1,
      ready: 2,
      want: 3,
      wantEBC: Math.floor(2 - 1982 - 3.1),
    },
    {
      label: 'small scale-down rate',
      policy: harness(10),
      options: { targetBurstCapacity: 1982, maxScaleDownRate: 1.1 },
      stable: 1,
      panic: 1,
      ready: 100,
      want: 90,
      wantEBC: 1000 - 1982 - 1,
    },
    { label: 'panic doubles the pod count', policy: harness(10), options: { targetBurstCapacity: 84 }, stable: 50, panic: 100, ready: 1, want: 10, wantEBC: 10 - 84 - 100, wantPanicking: true },
    // TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound
    { label: 'no ready replicas count as one for the rate limit', policy: harness(10), options: { targetBurstCapacity: 81 }, stable: 1000, panic: 888, ready: 0, want: 10, wantEBC: -81 - 888 },
    // TestAutoscalerNoDataNoAutoscale
    { label: 'no data → invalid', policy: harness(10), stable: undefined, panic: undefined, ready: 1, want: 1, wantEBC: 0, wantInvalid: true },
  ];

  it.each(cases)('$label', (c) => {
    const result = decide(
      { policy: c.policy, stableAverage: c.stable, panicAverage: c.panic, readyReplicas: c.ready, state: c.state ?? newDeciderState() },
      NOW,
      { ...HARNESS_OPTIONS, ...c.options },
    );
    expect(result.desired).toBe(c.want);
    expect(result.valid).toBe(!c.wantInvalid);
    if (c.wantEBC !== undefined) expect(result.excessBurstCapacity).toBe(c.wantEBC);
    if (c.wantPanicking !== undefined) expect(result.panicking).toBe(c.wantPanicking);
  });
});

describe('decide: Knative timelines', () => {
  it('panics on a burst, holds the scale while panicking, scales down a stable window later (TestAutoscalerPanicThenUnPanicScaleDown)', () => {
    const step = stepper(harness(10));
    expect(step(100, 100, 1, NOW).desired).toBe(10);
    const panicTime = NOW;
    const burst = step(100, 1000, 10, panicTime);
    expect(burst).toMatchObject({ desired: 100, panicking: true });
    // Traffic dropped off; the scale stays as we are still panicking.
    expect(step(1, 1, 10, panicTime + 30 * SECOND)).toMatchObject({ desired: 100, panicking: true });
    // Exactly a stable window later: still panicking (Knative requires strictly after).
    expect(step(1, 1, 10, panicTime + 60 * SECOND)).toMatchObject({ desired: 100, panicking: true });
    // Scale down after the stable window.
    expect(step(1, 1, 10, panicTime + 61 * SECOND)).toMatchObject({ desired: 1, panicking: false });
  });

  it('leaves panic once the surge has reached the stable window (TestAutoscalerUnpanicAfterSlowIncrease)', () => {
    const step = stepper(harness(1));
    const start = NOW;
    expect(step(11, 25, 10, start)).toMatchObject({ desired: 25, panicking: true });
    expect(step(30, 41, 40, start + 30 * SECOND)).toMatchObject({ desired: 41, panicking: true });
    expect(step(30, 41, 40, start + 30 * SECOND).state.panicTime).toBe(start);
    expect(step(50, 56, 55, start + 62 * SECOND)).toMatchObject({ desired: 50, panicking: false });
  });

  it('extends the panic while the threshold is still crossed (TestAutoscalerExtendPanicWindow)', () => {
    const step = stepper(harness(1));
    expect(step(11, 25, 10, NOW).desired).toBe(25);
    const later = step(30, 80, 40, NOW + 30 * SECOND);
    expect(later.desired).toBe(80);
    expect(later.state.panicTime).toBe(NOW + 30 * SECOND);
  });

  it('tracks exponential growth in panic mode (TestAutoscalerPanicModeExponentialTrackAndStabilize)', () => {
    const step = stepper(harness(1));
    expect(step(6, 6, 1, NOW).desired).toBe(6);
    expect(step(36, 36, 6, NOW).desired).toBe(36);
    expect(step(216, 216, 36, NOW + SECOND).desired).toBe(216);
    expect(step(1296, 1296, 216, NOW + SECOND).desired).toBe(1296);
    expect(step(1296, 1296, 1296, NOW + 2 * SECOND).desired).toBe(1296);
  });

  it('limits the scale-up rate (TestAutoscalerRateLimitScaleUp)', () => {
    const step = stepper(harness(10));
    // Needs 100 pods but may only grow ×10.
    expect(step(1000, 1001, 1, NOW).desired).toBe(10);
    expect(step(1000, 1001, 10, NOW).desired).toBe(100);
  });

  it('limits the scale-down rate (TestAutoscalerRateLimitScaleDown)', () => {
    const step = stepper(harness(10));
    expect(step(1, 1, 100, NOW).desired).toBe(10);
    expect(step(1, 1, 10, NOW).desired).toBe(1);
  });

  it('scales to 0 when the stable average drops to 0 (TestAutoscalerStableModeNoTrafficScaleToZero)', () => {
    const step = stepper(harness(10));
    expect(step(1, 0, 1, NOW).desired).toBe(1);
    expect(step(0, 0, 1, NOW).desired).toBe(0);
  });

  describe('scale-down delay (TestAutoscalerScaleDownDelay)', () => {
    const policy = harness(10, { panicThresholdPercentage: 10_000, scaleDownDelayMs: 5 * MINUTE });
    const step = stepper(policy);
    const start = 0;
    it('simple: holds the maximum for the delay, then drops', () => {
      expect(step(40, 40, 0, start + 2 * SECOND).desired).toBe(4);
      // Five minutes at reduced concurrency: less than the delay, no scale-down.
      expect(step(0, 0, 0, start + 5 * MINUTE).desired).toBe(4);
      // Five minutes and two seconds: now we scale down.
      expect(step(0, 0, 0, start + 5 * MINUTE + 2 * SECOND).desired).toBe(0);
    });
    it('gradual: each value scrolls out of the window in turn', () => {
      expect(step(40, 40, 0, start + 9 * MINUTE).desired).toBe(4);
      expect(step(30, 30, 0, start + 10 * MINUTE).desired).toBe(4);
      expect(step(0, 0, 0, start + 11 * MINUTE).desired).toBe(4);
      expect(step(0, 0, 0, start + 14 * MINUTE).desired).toBe(3);
      expect(step(0, 0, 0, start + 15 * MINUTE).desired).toBe(0);
    });
  });

  it('scales down at once without a delay, even within one slot (TestAutoscalerScaleDownDelayZero)', () => {
    const step = stepper(harness(10, { panicThresholdPercentage: 10_000 }));
    expect(step(40, 40, 0, 0).desired).toBe(4);
    expect(step(20, 20, 0, 500).desired).toBe(2);
  });

  it('starts in panic mode when more than one replica is ready (TestStartInPanicMode)', () => {
    for (const ready of [0, 1]) {
      expect(newDeciderState(ready, NOW)).toMatchObject({ panicTime: null, maxPanicPods: ready });
    }
    expect(newDeciderState(2, NOW)).toMatchObject({ panicTime: NOW, maxPanicPods: 2 });
    // No history yet: it does not scale below the current 2 replicas on the first, quiet tick.
    const step = stepper(harness(10), HARNESS_OPTIONS, newDeciderState(2, NOW));
    expect(step(0, 0, 2, NOW + 2 * SECOND)).toMatchObject({ desired: 2, panicking: true });
  });
});

describe('decide: Knative defaults (target 100 × 0.7, up ×1000, down ÷2, panic at 200 %)', () => {
  const one = (policy: ScalingPolicy, stable: number | undefined, panic: number | undefined, ready: number, state = newDeciderState()) =>
    decide({ policy, stableAverage: stable, panicAverage: panic, readyReplicas: ready, state }, NOW);

  it('aims at target × utilization = 70 per replica', () => {
    expect(metricTarget(knativePolicy())).toEqual({ target: 70, total: 100 });
    expect(one(knativePolicy(), 350, 350, 5).desired).toBe(5);
    expect(one(knativePolicy(), 351, 351, 5).desired).toBe(6);
    expect(one(knativePolicy(), 700, 700, 10)).toMatchObject({ desired: 10, panicking: false, excessBurstCapacity: 1000 - 211 - 700 });
  });

  it('caps the target at a hard containerConcurrency', () => {
    expect(metricTarget(knativePolicy({ containerConcurrency: 10 }))).toEqual({ target: 7, total: 10 });
    expect(one(knativePolicy({ containerConcurrency: 10 }), 70, 70, 10).desired).toBe(10);
  });

  it('scales down on the stable average', () => {
    expect(one(knativePolicy(), 140, 140, 4).desired).toBe(2);
  });

  it('halves at most per tick (max scale-down rate 2)', () => {
    expect(one(knativePolicy(), 10, 10, 8).desired).toBe(4);
    expect(one(knativePolicy(), 0, 0, 1).desired).toBe(0);
  });

  it('compares pod counts for panic: 71 on one replica is 2 pods = 200 %', () => {
    expect(one(knativePolicy(), 10, 71, 1)).toMatchObject({ desired: 2, panicking: true });
    expect(one(knativePolicy(), 10, 70, 1)).toMatchObject({ desired: 1, panicking: false });
    expect(one(knativePolicy(), 100, 139, 2)).toMatchObject({ desired: 2, panicking: false });
  });

  it('panics on a burst, never scales down while panicking, and leaves after a stable window', () => {
    const step = stepper(knativePolicy(), KNATIVE_DECIDER_DEFAULTS);
    // A burst of 350 concurrent requests hits one replica: 5 pods at once.
    expect(step(5, 350, 1, 0)).toMatchObject({ desired: 5, panicking: true });
    // The burst passes the threshold no more, but the panic holds for a stable window.
    expect(step(30, 300, 5, 2 * SECOND)).toMatchObject({ desired: 5, panicking: true });
    expect(step(20, 20, 5, 30 * SECOND)).toMatchObject({ desired: 5, panicking: true });
    expect(step(20, 20, 5, 60 * SECOND)).toMatchObject({ desired: 5, panicking: true });
    // Past the stable window: back to stable mode, halving at most.
    expect(step(20, 20, 5, 62 * SECOND)).toMatchObject({ desired: 2, panicking: false });
    expect(step(20, 20, 2, 64 * SECOND)).toMatchObject({ desired: 1, panicking: false });
  });

  it('clamps to maxScale', () => {
    expect(one(knativePolicy({ maxScale: 3 }), 7000, 7000, 100).desired).toBe(3);
  });

  it('clamps to minScale, also instead of 0', () => {
    expect(one(knativePolicy({ minScale: 2 }), 0, 0, 1).desired).toBe(2);
  });

  it('uses the initial scale before any data, within the bounds', () => {
    expect(one(knativePolicy({ initialScale: 3 }), undefined, undefined, 0)).toMatchObject({ desired: 3, valid: false });
    expect(one(knativePolicy({ initialScale: 3, maxScale: 2 }), undefined, undefined, 0).desired).toBe(2);
    expect(one(knativePolicy({ initialScale: 0, minScale: 1 }), undefined, undefined, 0).desired).toBe(1);
  });

  it('after data, a gap in it keeps the last decision and the state', () => {
    const first = one(knativePolicy(), 700, 700, 10);
    const gap = one(knativePolicy(), undefined, 5, 10, first.state);
    expect(gap).toMatchObject({ desired: 10, valid: false });
    expect(gap.state).toBe(first.state);
  });

  it('never throws, whatever the numbers', () => {
    const odd = [NaN, Infinity, -1, 0, 1e12];
    for (const x of odd) {
      for (const ready of odd) {
        expect(() => one(knativePolicy({ target: x, targetUtilization: x }), x, x, ready)).not.toThrow();
      }
    }
  });

  it('does not mutate the state it is given', () => {
    const state = newDeciderState();
    const frozen = Object.freeze({ ...state });
    const result = one(knativePolicy({ scaleDownDelayMs: MINUTE }), 700, 700, 1, frozen);
    expect(frozen).toEqual(state);
    expect(result.state).not.toBe(frozen);
  });
});
