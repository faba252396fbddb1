/** Tests for runtime/time (the routers' Rng) and the test ManualClock. */
import { describe, expect, it } from 'vitest';
import { realClock, sleep } from '../../../runtime/time/clock.ts';
import { randomRng, seededRng } from '../../../runtime/time/rng.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { scriptedRng } from '../../helpers/seeded-rng.ts';

describe('seededRng (sfc32 seeded by splitmix32)', () => {
  it('gives the same sequence for the same seed, pinned here', () => {
    const a = seededRng(1);
    expect([a.next(), a.next(), a.next()]).toEqual([0.4256499295588583, 0.79042171058245, 0.6910148127935827]);
    const b = seededRng(1);
    expect([b.next(), b.next(), b.next()]).toEqual([0.4256499295588583, 0.79042171058245, 0.6910148127935827]);
  });

  it('differs between seeds, stays in [0, 1) and is roughly uniform', () => {
    expect(seededRng(1).next()).not.toBe(seededRng(2).next());
    const rng = seededRng(99);
    const draws = Array.from({ length: 100_000 }, () => rng.next());
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const x of draws) buckets[Math.floor(x * 10)]!++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => seededRng(Number.NaN)).toThrow('seed must be a finite number');
  });

  it('randomRng draws in [0, 1) and two of them differ', () => {
    const x = randomRng();
    const y = randomRng();
    const xs = Array.from({ length: 8 }, () => x.next());
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(xs).not.toEqual(Array.from({ length: 8 }, () => y.next()));
  });

  it('scriptedRng returns its values then refuses', () => {
    const rng = scriptedRng([0.1, 0.2]);
    expect([rng.next(), rng.next()]).toEqual([0.1, 0.2]);
    expect(() => rng.next()).toThrow('all 2 scripted values were used');
    expect(() => scriptedRng([1])).toThrow('[0, 1)');
  });
});

describe('realClock', () => {
  it('is monotonic and its timers fire', async () => {
    const t0 = realClock.now();
    await sleep(realClock, 5);
    expect(realClock.now()).toBeGreaterThanOrEqual(t0 + 4);
    let fired = false;
    const handle = realClock.setTimeout(() => (fired = true), 1);
    realClock.clearTimeout(handle);
    await sleep(realClock, 5);
    expect(fired).toBe(false);
  });
});

describe('ManualClock', () => {
  it('fires due timers in order as time is advanced, reading each due time', () => {
    const clock = new ManualClock(1000);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 30);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`c@${clock.now()}`), 30);
    clock.advance(9);
    expect(log).toEqual([]);
    clock.advance(21);
    expect(log).toEqual(['a@1010', 'b@1030', 'c@1030']);
    expect(clock.now()).toBe(1030);
    expect(clock.pending()).toBe(0);
  });

  it('fires timers set by timers when they fall in the window, and honours clearTimeout', () => {
    const clock = new ManualClock();
    const log: number[] = [];
    clock.setTimeout(() => {
      log.push(clock.now());
      clock.setTimeout(() => log.push(clock.now()), 5);
    }, 5);
    const cancelled = clock.setTimeout(() => log.push(-1), 7);
    clock.clearTimeout(cancelled);
    clock.advance(10);
    expect(log).toEqual([5, 10]);
  });

  it('advanceAsync steps through code that awaits a timer and then sets another', async () => {
    const clock = new ManualClock();
    const log: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 100);
        log.push(clock.now());
      }
    })();
    await clock.advanceAsync(250);
    expect(log).toEqual([100, 200]);
    await clock.advanceAsync(50);
    await loop;
    expect(log).toEqual([100, 200, 300]);
  });
});
