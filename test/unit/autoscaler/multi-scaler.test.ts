import { describe, expect, it } from 'vitest';
import { MultiScaler } from '../../../runtime/engine/local/autoscaler/multi-scaler.ts';
import type { ScaleDecision } from '../../../runtime/engine/local/autoscaler/scaler.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { knativePolicy, SECOND } from './_fixtures.ts';

/** Two functions whose replicas are ready the moment they are wanted, like a process manager with instant starts. */
function setup() {
  const clock = new ManualClock();
  const decisions: ScaleDecision[] = [];
  let autoscaler: MultiScaler | undefined;
  autoscaler = new MultiScaler({
    policies: { model: knativePolicy(), orchestrator: knativePolicy({ minScale: 1, scaleToZeroGracePeriodMs: 10_000 }) },
    clock,
    readyReplicas: (fn) => autoscaler?.desiredReplicas(fn) ?? 0,
  });
  autoscaler.onScale((d) => decisions.push(d));
  autoscaler.start();
  return { clock, autoscaler, decisions, at: (s: number) => clock.advance(s * SECOND - clock.now()) };
}

describe('MultiScaler', () => {
  it('scales each function by its own policy: idle model to 0 after 60 s + 30 s, orchestrator kept at minScale', () => {
    const { autoscaler, decisions, at } = setup();
    at(88);
    expect(autoscaler.desiredReplicas('model')).toBe(1);
    at(90);
    expect(autoscaler.desiredReplicas('model')).toBe(0);
    expect(autoscaler.desiredReplicas('orchestrator')).toBe(1);
    expect(decisions).toEqual([{ fn: 'model', at: 90 * SECOND, previous: 1, desired: 0, reason: 'scale-to-zero', panicking: false }]);
  });

  it('activates from zero on the first request, before any tick', () => {
    const { clock, autoscaler, decisions, at } = setup();
    at(90.5);
    autoscaler.requestStarted('model');
    expect(autoscaler.desiredReplicas('model')).toBe(1);
    expect(decisions.at(-1)).toMatchObject({ fn: 'model', at: 90_500, desired: 1, reason: 'wake' });
    expect(autoscaler.collector.inFlight('model')).toBe(1);
    clock.advance(300);
    autoscaler.requestFinished('model');
    expect(autoscaler.collector.inFlight('model')).toBe(0);
    // Back to 0 a stable window and a grace period after that request.
    at(180);
    expect(autoscaler.desiredReplicas('model')).toBe(1);
    at(182);
    expect(autoscaler.desiredReplicas('model')).toBe(0);
  });

  it('wake(fn) activates without counting a request', () => {
    const { autoscaler, at } = setup();
    at(90);
    expect(autoscaler.wake('model')).toMatchObject({ desired: 1, reason: 'wake' });
    expect(autoscaler.collector.inFlight('model')).toBe(0);
  });

  it('reports panic and excess burst capacity per function', () => {
    const { autoscaler, at } = setup();
    at(10);
    for (let i = 0; i < 300; i++) autoscaler.requestStarted('orchestrator');
    at(16);
    expect(autoscaler.panicking('orchestrator')).toBe(true);
    expect(autoscaler.panicking('model')).toBe(false);
    expect(autoscaler.desiredReplicas('orchestrator')).toBe(5);
    // 3 ready × 100 − 211 − 300 (the panic average): a burst of 211 more would not fit.
    expect(autoscaler.excessBurstCapacity('orchestrator')).toBe(3 * 100 - 211 - 300);
  });

  it('ignores functions it does not know', () => {
    const { autoscaler } = setup();
    autoscaler.requestStarted('nope');
    autoscaler.requestFinished('nope');
    expect(autoscaler.wake('nope')).toBeUndefined();
    expect(autoscaler.desiredReplicas('nope')).toBe(0);
    expect(autoscaler.panicking('nope')).toBe(false);
    expect(autoscaler.collector.averages('nope', 10 * SECOND)).toBeUndefined();
  });

  it('stops every function\'s loop', () => {
    const { clock, autoscaler } = setup();
    autoscaler.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(600 * SECOND);
    expect(autoscaler.desiredReplicas('model')).toBe(1);
  });
});
