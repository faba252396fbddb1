import { describe, expect, it } from 'vitest';
import { ConcurrencyCollector, KNATIVE_WINDOWS, windowsOf } from '../../../runtime/engine/local/autoscaler/collector.ts';
import { knativePolicy, MINUTE, SECOND } from './_fixtures.ts';

const FN = 'model-a';

/** `count` requests in flight from `from` to `to` (ms). */
function hold(c: ConcurrencyCollector, count: number, from: number, to: number): void {
  for (let i = 0; i < count; i++) c.requestStarted(FN, from);
  for (let i = 0; i < count; i++) c.requestFinished(FN, to);
}

describe('ConcurrencyCollector', () => {
  it('has no data until the first whole second is sampled', () => {
    const c = new ConcurrencyCollector();
    expect(c.averages(FN, 0)).toBeUndefined();
    c.track(FN, 0);
    expect(c.averages(FN, 999)).toBeUndefined();
    expect(c.averages(FN, 1000)).toEqual({ stable: 0, panic: 0 });
  });

  it('samples the time-weighted average of each second', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    // 10 requests for the middle half of second 0: 5 on average.
    hold(c, 10, 250, 750);
    expect(c.averages(FN, 1000)).toEqual({ stable: 5, panic: 5 });
    // One request across a second boundary: 0.5 of second 1 and 0.5 of second 2.
    hold(c, 1, 1500, 2500);
    expect(c.averages(FN, 3000)).toEqual({ stable: 6 / 3, panic: 6 / 3 });
  });

  it('counts only completed seconds: a request that just started shows up when its second ends', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    c.requestStarted(FN, 10_000);
    expect(c.averages(FN, 10_999)).toEqual({ stable: 0, panic: 0 });
    expect(c.inFlight(FN)).toBe(1);
    // 1/6, floored to 6 digits as Knative does.
    expect(c.averages(FN, 11_000)).toEqual({ stable: 0.090909, panic: 0.166666 });
  });

  it('averages the stable window over 60 s and the panic window over its last 6 s', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    // 100 in flight for 30 s, then 30 s idle.
    hold(c, 100, 0, 30 * SECOND);
    expect(c.averages(FN, 30 * SECOND)).toEqual({ stable: 100, panic: 100 });
    expect(c.averages(FN, 60 * SECOND)).toEqual({ stable: 50, panic: 0 });
  });

  it('sees a burst in the panic window at once and in the stable window barely', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    hold(c, 100, 0, 30 * SECOND);
    hold(c, 300, 57 * SECOND, 60 * SECOND);
    expect(c.averages(FN, 60 * SECOND)).toEqual({ stable: (30 * 100 + 3 * 300) / 60, panic: (3 * 300) / 6 });
  });

  it('reads 0 for the whole stable window only once a full window of seconds had nothing in flight', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    hold(c, 1, 0, 100);
    expect(c.averages(FN, 60 * SECOND)!.stable).toBeGreaterThan(0);
    expect(c.averages(FN, 61 * SECOND)!.stable).toBe(0);
  });

  it('keeps sampling zeros through a long quiet spell, so data never runs out', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    hold(c, 50, 0, 10 * SECOND);
    expect(c.averages(FN, 30 * MINUTE)).toEqual({ stable: 0, panic: 0 });
    // And the first second after it counts over a full window of zeros, not a fresh partial one.
    hold(c, 60, 30 * MINUTE, 30 * MINUTE + SECOND);
    expect(c.averages(FN, 30 * MINUTE + SECOND)).toEqual({ stable: 1, panic: 10 });
  });

  it('never counts below zero', () => {
    const c = new ConcurrencyCollector();
    c.requestFinished(FN, 0);
    c.requestFinished(FN, 100);
    expect(c.inFlight(FN)).toBe(0);
    c.requestStarted(FN, 200);
    expect(c.inFlight(FN)).toBe(1);
  });

  it('uses each function\'s own windows', () => {
    const policy = knativePolicy({ stableWindowMs: 20 * SECOND, panicWindowPercentage: 25 });
    expect(windowsOf(policy)).toEqual({ stableWindowMs: 20_000, panicWindowMs: 5_000 });
    expect(windowsOf(knativePolicy())).toEqual(KNATIVE_WINDOWS);
    const c = new ConcurrencyCollector({ windows: () => windowsOf(policy) });
    c.track(FN, 0);
    hold(c, 40, 10 * SECOND, 20 * SECOND);
    expect(c.averages(FN, 20 * SECOND)).toEqual({ stable: 20, panic: 40 });
    expect(c.averages(FN, 40 * SECOND)).toEqual({ stable: 0, panic: 0 });
  });

  it('forgets a function', () => {
    const c = new ConcurrencyCollector();
    c.track(FN, 0);
    c.forget(FN);
    expect(c.averages(FN, 5 * SECOND)).toBeUndefined();
  });
});
