/**
 * Each knob of a function's scaling policy changes the autoscaler's decisions the way Knative's does: panic
 * threshold, panic window, target utilization, the scale-down delay (also on the way to zero), and the
 * containerConcurrency / maxScale pair of the burst fixture. Whole timelines on a manual clock, in seconds.
 */
import { describe, expect, it } from 'vitest';
import type { ScalingPolicy } from '../../../runtime/plan/types.ts';
import { decide, MultiScaler, newDeciderState } from '../../../runtime/engine/local/autoscaler/index.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { knativePolicy, SECOND } from './_fixtures.ts';

/** One function on a manual clock whose replicas are ready as soon as they are wanted; returns its decisions. */
function timeline(policy: ScalingPolicy, script: (load: (n: number) => void, at: (s: number) => void) => void): Array<[number, number, boolean]> {
  const clock = new ManualClock();
  let desired = 0;
  const scaler = new MultiScaler({ policies: { fn: policy }, clock, readyReplicas: () => desired });
  const decisions: Array<[number, number, boolean]> = [];
  scaler.onScale((d) => {
    desired = d.desired;
    decisions.push([d.at / SECOND, d.desired, d.panicking]);
  });
  scaler.start();
  let inFlight = 0;
  const load = (n: number) => {
    for (; inFlight < n; inFlight++) scaler.requestStarted('fn');
    for (; inFlight > n; inFlight--) scaler.requestFinished('fn');
  };
  script(load, (s) => clock.advance(s * SECOND - clock.now()));
  scaler.stop();
  return decisions;
}

/** 300 requests in flight from 10 s to 20 s. */
const burst = (until = 30) => (load: (n: number) => void, at: (s: number) => void) => {
  at(10);
  load(300);
  at(20);
  load(0);
  at(until);
};

describe('scaling policy knobs', () => {
  it('panic threshold: 200 % panics on a burst and follows the panic window; 1000 % never panics, follows the stable one and comes down at once', () => {
    expect(timeline(knativePolicy(), burst())).toEqual([
      [12, 2, true],
      [14, 3, true],
      [16, 5, true],
    ]);
    // Without panic, nothing holds the scale up: it comes down as soon as the stable average does.
    expect(timeline(knativePolicy({ panicThresholdPercentage: 1000 }), burst())).toEqual([
      [14, 2, false],
      [20, 3, false],
      [22, 2, false],
    ]);
  });

  it('panic threshold compares pod counts with ready replicas: 3 pods on 2 replicas is 150 %', () => {
    const one = (panicThresholdPercentage: number) =>
      decide({ policy: knativePolicy({ panicThresholdPercentage }), stableAverage: 140, panicAverage: 210, readyReplicas: 2, state: newDeciderState() }, 0);
    expect(one(150)).toMatchObject({ desired: 3, panicking: true });
    expect(one(200)).toMatchObject({ desired: 2, panicking: false });
  });

  it('panic window: at 10 % of the stable window a burst shows at once; at 100 % it is averaged like the stable window', () => {
    expect(timeline(knativePolicy({ panicWindowPercentage: 10 }), burst()).find(([s]) => s === 16)).toEqual([16, 5, true]);
    expect(timeline(knativePolicy({ panicWindowPercentage: 100 }), burst())).toEqual([
      [14, 2, true],
      [20, 3, true],
    ]);
  });

  it('target utilization: the autoscaler aims at target × utilization per replica', () => {
    const pods = (targetUtilization: number) =>
      decide({ policy: knativePolicy({ target: 10, targetUtilization }), stableAverage: 50, panicAverage: 50, readyReplicas: 10, state: newDeciderState() }, 0).desired;
    expect(pods(1)).toBe(5);
    expect(pods(0.5)).toBe(10);
    expect(pods(0.7)).toBe(8); // ceil(50 / 7)
  });

  it('scale-down delay: every step down waits for the delay at the lower level, the one to zero too (then the grace period)', () => {
    // Without a delay: the panic ends 60 s after the threshold was last crossed (14 s); halving per tick; zero a
    // stable window after the last request (80 s) plus the 30 s grace period.
    expect(timeline(knativePolicy(), burst(300))).toEqual([
      [12, 2, true],
      [14, 3, true],
      [16, 5, true],
      [74, 2, false],
      [76, 1, false],
      [110, 0, false],
    ]);
    // With 30 s: each lower value must hold for 30 s before it applies; the decision to go to 0 comes 30 s after
    // the last 1 (132 s), and the grace period starts only then.
    expect(timeline(knativePolicy({ scaleDownDelayMs: 30_000 }), burst(300))).toEqual([
      [12, 2, true],
      [14, 3, true],
      [16, 5, true],
      [102, 2, false],
      [132, 1, false],
      [192, 0, false],
    ]);
  });

  it('the burst fixture (containerConcurrency 4, maxScale 8): 200 in flight asks for maxScale at once, in panic', () => {
    // Per-replica target: min(target 100, containerConcurrency 4) × 0.7 = 2.8, so 200 in flight is 72 pods, capped at 8.
    const decisions = timeline(knativePolicy({ containerConcurrency: 4, maxScale: 8 }), (load, at) => {
      at(10);
      load(200);
      at(14);
      load(0);
      at(200);
    });
    expect(decisions).toEqual([
      [12, 8, true],
      [80, 4, false],
      [82, 2, false],
      [84, 1, false],
      [116, 0, false],
    ]);
  });
});
