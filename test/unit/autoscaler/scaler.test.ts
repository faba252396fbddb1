import { describe, expect, it } from 'vitest';
import type { ScalingPolicy } from '../../../runtime/plan/types.ts';
import { ConcurrencyCollector, windowsOf } from '../../../runtime/engine/local/autoscaler/collector.ts';
import { ScaleController, type ScaleDecision } from '../../../runtime/engine/local/autoscaler/scaler.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { knativePolicy, SECOND } from './_fixtures.ts';

const FN = 'model-a';

/** A controller on a manual clock whose replicas become ready the moment they are wanted (unless `ready` is set). */
function setup(policy: ScalingPolicy = knativePolicy(), extra: { tickIntervalMs?: number; ready?: () => number } = {}) {
  const clock = new ManualClock();
  const collector = new ConcurrencyCollector({ windows: () => windowsOf(policy) });
  collector.track(FN, 0);
  const decisions: ScaleDecision[] = [];
  const logs: string[] = [];
  let controller: ScaleController | undefined;
  controller = new ScaleController({
    fn: FN,
    policy,
    clock,
    metrics: collector,
    readyReplicas: extra.ready ?? (() => controller?.desiredReplicas() ?? 0),
    ...(extra.tickIntervalMs !== undefined && { tickIntervalMs: extra.tickIntervalMs }),
    log: (m) => logs.push(m),
  });
  controller.onScale((d) => decisions.push(d));
  controller.start();
  return { clock, collector, controller, decisions, logs, at: (s: number) => clock.advance(s * SECOND - clock.now()) };
}

describe('ScaleController: to zero', () => {
  it('60 s idle → still 1; +30 s grace → 0', () => {
    const { controller, decisions, at } = setup();
    expect(controller.desiredReplicas()).toBe(1);
    at(60);
    expect(controller.desiredReplicas()).toBe(1);
    at(88);
    expect(controller.desiredReplicas()).toBe(1);
    at(90);
    expect(controller.desiredReplicas()).toBe(0);
    expect(decisions).toEqual([{ fn: FN, at: 90 * SECOND, previous: 1, desired: 0, reason: 'scale-to-zero', panicking: false }]);
  });

  it('goes to 0 a stable window plus the grace period after the last request', () => {
    const { collector, controller, at } = setup();
    at(100);
    expect(controller.desiredReplicas()).toBe(0);
    controller.wake();
    collector.requestStarted(FN, 100 * SECOND);
    at(101);
    collector.requestFinished(FN, 101 * SECOND);
    // The last busy second (100) is recorded at 101 s; the stable average is 0 from 161 s, first seen at the 162 s tick.
    at(190);
    expect(controller.desiredReplicas()).toBe(1);
    at(192);
    expect(controller.desiredReplicas()).toBe(0);
  });

  it('keeps the replica while a request is in flight, even if the windows have not seen it yet', () => {
    const { collector, controller, at } = setup();
    // A request arrives at the very instant of the tick that would end the grace period.
    at(89.999);
    collector.requestStarted(FN, 90 * SECOND);
    at(90);
    expect(controller.desiredReplicas()).toBe(1);
    at(91);
    collector.requestFinished(FN, 91 * SECOND);
    // Second 90 is in the stable window until 151 s; then the grace period again.
    at(150);
    expect(controller.desiredReplicas()).toBe(1);
    at(180);
    expect(controller.desiredReplicas()).toBe(1);
    at(182);
    expect(controller.desiredReplicas()).toBe(0);
  });

  it('waits out the grace period from scratch when traffic interrupts it', () => {
    const { collector, controller, at } = setup();
    at(80);
    // A short request 20 s into the grace period.
    collector.requestStarted(FN, 80 * SECOND);
    collector.requestFinished(FN, 80.1 * SECOND);
    at(90);
    expect(controller.desiredReplicas()).toBe(1);
    // Second 80 is in the stable window until 141 s; then 30 s of grace.
    at(170);
    expect(controller.desiredReplicas()).toBe(1);
    at(172);
    expect(controller.desiredReplicas()).toBe(0);
  });

  it('never goes to 0 with minScale 1', () => {
    const { controller, at } = setup(knativePolicy({ minScale: 1 }));
    at(600);
    expect(controller.desiredReplicas()).toBe(1);
  });

  it('goes to 0 right after the stable window with no grace period', () => {
    const { controller, at } = setup(knativePolicy({ scaleToZeroGracePeriodMs: 0 }));
    at(58);
    expect(controller.desiredReplicas()).toBe(1);
    at(60);
    expect(controller.desiredReplicas()).toBe(0);
  });
});

describe('ScaleController: from zero', () => {
  it('wake() at 0 makes desired 1 at once, without a tick', () => {
    const { clock, controller, decisions, at } = setup();
    at(90);
    expect(controller.desiredReplicas()).toBe(0);
    clock.advance(500);
    const pending = clock.pending();
    const decision = controller.wake();
    expect(decision).toEqual({ fn: FN, at: 90_500, previous: 0, desired: 1, reason: 'wake', panicking: false });
    expect(controller.desiredReplicas()).toBe(1);
    expect(decisions.at(-1)).toEqual(decision);
    expect(clock.pending()).toBe(pending);
    // Already up: nothing to do.
    expect(controller.wake()).toBeUndefined();
  });

  it('starts at 0 with initialScale 0, and wakes to 1', () => {
    const { controller } = setup(knativePolicy({ minScale: 0, initialScale: 0 }));
    expect(controller.desiredReplicas()).toBe(0);
    expect(controller.wake()?.desired).toBe(1);
  });

  it('a request at zero is also picked up by the next ticks without wake()', () => {
    const { collector, controller, at } = setup();
    at(90);
    collector.requestStarted(FN, 90.2 * SECOND);
    at(92);
    expect(controller.desiredReplicas()).toBe(1);
  });
});

describe('ScaleController: scale and panic', () => {
  it('scales a burst of 300 to 5 replicas within a panic window, holds while panicking, then comes down', () => {
    const { collector, controller, decisions, at } = setup();
    at(10);
    for (let i = 0; i < 300; i++) collector.requestStarted(FN, 10 * SECOND);
    at(16);
    expect(controller.desiredReplicas()).toBe(5);
    expect(controller.panicking()).toBe(true);
    at(20);
    for (let i = 0; i < 300; i++) collector.requestFinished(FN, 20 * SECOND);
    at(72);
    expect(controller.desiredReplicas()).toBe(5);
    expect(controller.panicking()).toBe(true);
    at(200);
    expect(decisions.map((d) => [d.at / SECOND, d.desired, d.reason])).toEqual([
      [12, 2, 'tick'], // 2 s of 300 in a 6 s panic window: 100 → 2 pods ≥ 200 % of 1
      [14, 3, 'tick'],
      [16, 5, 'tick'],
      [74, 2, 'tick'], // the panic ends 60 s after the threshold was last crossed (12 s); halving at most
      [76, 1, 'tick'],
      [110, 0, 'scale-to-zero'], // stable average 0 from 80 s, + 30 s grace
    ]);
  });

  it('holds the initial scale until it has been reached once', () => {
    let ready = 0;
    const { controller, decisions, at } = setup(knativePolicy({ initialScale: 3 }), { ready: () => ready });
    at(20);
    expect(controller.desiredReplicas()).toBe(3);
    ready = 3;
    at(22);
    // Reached: now no traffic brings it down, halving at most per tick and to 1 within the first stable window.
    expect(controller.desiredReplicas()).toBe(1);
    expect(decisions.map((d) => [d.at / SECOND, d.desired])).toEqual([[22, 1]]);
  });

  it('takes a configurable tick interval and stops ticking on stop()', () => {
    const { clock, controller, at } = setup(knativePolicy({ scaleToZeroGracePeriodMs: 0 }), { tickIntervalMs: 1000 });
    at(59);
    expect(controller.desiredReplicas()).toBe(1);
    controller.stop();
    expect(clock.pending()).toBe(0);
    at(600);
    expect(controller.desiredReplicas()).toBe(1);
    controller.start();
    at(601);
    expect(controller.desiredReplicas()).toBe(0);
  });

  it('keeps ticking when a listener throws, and reports it', () => {
    const { controller, logs, at } = setup();
    controller.onScale(() => {
      throw new Error('boom');
    });
    at(90);
    expect(controller.desiredReplicas()).toBe(0);
    expect(logs).toEqual([`autoscaler: onScale listener for ${FN} failed: boom`]);
    controller.wake();
    expect(controller.desiredReplicas()).toBe(1);
  });

  it('unsubscribes a listener', () => {
    const { controller, at } = setup();
    const seen: number[] = [];
    const off = controller.onScale((d) => seen.push(d.desired));
    off();
    at(90);
    expect(seen).toEqual([]);
  });
});
