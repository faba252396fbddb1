import { describe, expect, it } from 'vitest';
import { TimedBuckets, TimeWindow } from '../../../runtime/engine/local/autoscaler/window.ts';
import { seededRng } from '../../../runtime/time/rng.ts';
import { SECOND } from './_fixtures.ts';

// Not aligned to a second, like Knative's `now := time.Now()`.
const NOW = 1_000_000_437;

describe('TimedBuckets (Knative TestTimedFloat64BucketsWindowAverage)', () => {
  it('averages over a partial window, holes, long holes, late and too-early writes', () => {
    const b = new TimedBuckets({ windowMs: 5 * SECOND });
    // This verifies that the first write is used: without it the average would be 0.2.
    b.record(NOW, 1);
    expect(b.windowAverage(NOW)).toBe(1);
    for (let i = 1; i < 5; i++) b.record(NOW + i * SECOND, i + 1);
    expect(b.windowAverage(NOW + 4 * SECOND)).toBe(15 / 5);
    // `now` lags behind the last write.
    expect(b.windowAverage(NOW + 3600)).toBe(15 / 5);
    // A short hole: the buckets after the last write are left out.
    expect(b.windowAverage(NOW + 6 * SECOND)).toBe((15 - 1 - 2) / (5 - 2));
    // A long hole: nothing within the window.
    expect(b.windowAverage(NOW + 10 * SECOND)).toBe(0);
    // A write after a hole: the missing bucket counts as 0.
    b.record(NOW + 6 * SECOND, 91);
    expect(b.windowAverage(NOW + 6 * SECOND)).toBe((15 - 1 - 2 + 91) / 5);

    // Much later: a new partial window starts.
    let now = NOW + 60 * SECOND;
    b.record(now, 1984);
    expect(b.windowAverage(now)).toBe(1984);
    // An earlier time within the window.
    b.record(now - 3 * SECOND, 4);
    expect(b.windowAverage(now)).toBe((4 + 1984) / 4);
    now += SECOND;
    b.record(now, 5);
    expect(b.windowAverage(now)).toBe((4 + 1984 + 5) / 5);
    b.record(now - 3 * SECOND, 10);
    expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
    // A value older than the window is ignored.
    b.record(now - 6 * SECOND, 10);
    expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
  });

  it('ignores descending writes once they are a window older than the newest (TestDescendingRecord)', () => {
    const b = new TimedBuckets({ windowMs: 5 * SECOND });
    for (let i = 8; i >= 0; i--) b.record(NOW + i * SECOND, 5);
    expect(b.windowAverage(NOW + 5 * SECOND)).toBe(5);
  });

  it('sums the values recorded in one bucket (TestTimedFloat64BucketsManyReps)', () => {
    const b = new TimedBuckets({ windowMs: 60 * SECOND });
    let t = 0;
    for (let p = 0; p < 5; p++) {
      t += SECOND;
      for (let k = 0; k < 5; k++) b.record(t, p + k);
    }
    // Buckets 10, 15, 20, 25, 30 = 100 over 5 buckets of data.
    expect(b.windowAverage(t)).toBe(20);
  });

  it('zeroes the buckets skipped by a write (TestTimedFloat64BucketsHoles)', () => {
    const b = new TimedBuckets({ windowMs: 5 * SECOND });
    for (let i = 0; i < 5; i++) b.record(NOW + i * SECOND, i + 1);
    expect(b.windowAverage(NOW + 4 * SECOND)).toBe(3);
    b.record(NOW + 8 * SECOND, 2);
    // Seconds 5–7 are empty, so the window holds 5 (second 4) and 2 (second 8).
    expect(b.windowAverage(NOW + 8 * SECOND)).toBe(7 / 5);
  });

  it('answers a shorter window from the same buckets (the panic window)', () => {
    const b = new TimedBuckets({ windowMs: 60 * SECOND });
    for (let s = 1; s <= 60; s++) b.record(s * SECOND, s <= 54 ? 0 : 60);
    expect(b.windowAverage(60 * SECOND)).toBe(6);
    expect(b.windowAverage(60 * SECOND, 6 * SECOND)).toBe(60);
  });

  it('floors averages to 6 digits but never rounds a positive one to 0', () => {
    const b = new TimedBuckets({ windowMs: 3 * SECOND });
    for (let s = 1; s <= 3; s++) b.record(s * SECOND, 1 / 3);
    expect(b.windowAverage(3 * SECOND)).toBe(0.333333);
    const tiny = new TimedBuckets({ windowMs: 60 * SECOND });
    for (let s = 1; s <= 60; s++) tiny.record(s * SECOND, s === 1 ? 0.00005 : 0);
    expect(tiny.windowAverage(60 * SECOND)).toBeGreaterThan(0);
  });

  it('is empty before any write and once a whole window has passed', () => {
    const b = new TimedBuckets({ windowMs: 5 * SECOND });
    expect(b.isEmpty(NOW)).toBe(true);
    b.record(NOW, 0);
    expect(b.isEmpty(NOW)).toBe(false);
    expect(b.isEmpty(NOW + 5 * SECOND)).toBe(false);
    expect(b.isEmpty(NOW + 6 * SECOND)).toBe(true);
  });

  it('matches a port of Knative\'s ring buffer for any window, on random monotonic writes', () => {
    const rng = seededRng(2024);
    for (const windowMs of [5 * SECOND, 6 * SECOND, 5500, 60 * SECOND]) {
      const ours = new TimedBuckets({ windowMs: 60 * SECOND });
      const knative = new KnativeBuckets(windowMs, SECOND);
      let t = 10 * SECOND;
      for (let step = 0; step < 3000; step++) {
        const r = rng.next();
        // Mostly every second, sometimes a short gap, sometimes a gap longer than the window.
        t += r < 0.7 ? SECOND : r < 0.85 ? 0 : r < 0.97 ? Math.floor(rng.next() * 8) * SECOND : Math.floor(rng.next() * 90) * SECOND;
        t += Math.floor(rng.next() * 999) - (t % SECOND);
        const value = Math.floor(rng.next() * 1000) / 10;
        ours.record(t, value);
        knative.record(t, value);
        const probe = t + Math.floor(rng.next() * (windowMs + 2 * SECOND));
        expect(ours.windowAverage(probe, windowMs)).toBeCloseTo(knative.windowAverage(probe), 5);
        expect(ours.windowAverage(t, windowMs)).toBeCloseTo(knative.windowAverage(t), 5);
      }
    }
  });
});

describe('TimeWindow (Knative TestWindowMax, TestTimedWindowMax)', () => {
  const cases: Array<{ name: string; values: number[]; index?: (i: number) => number; expect: number[] }> = [
    { name: 'single value', values: [1], expect: [1] },
    { name: 'ascending values', values: [1, 2], expect: [1, 2] },
    { name: 'descending values', values: [2, 1], expect: [2, 2] },
    { name: 'up, down, up', values: [1, 2, 1], expect: [1, 2, 2] },
    { name: 'windowing out', values: [5, 6, 5, 5, 5, 5, 5], expect: [5, 6, 6, 6, 6, 6, 5] },
    { name: 'windowing out with gaps', values: [6, 5, 2, 1], index: (i) => (i >= 3 ? i + 3 : i), expect: [6, 6, 6, 2] },
    { name: 'windowing out 2', values: [5, 6, 5, 7, 5, 5, 1], expect: [5, 6, 6, 7, 7, 7, 7] },
    { name: 'windowing out 4', values: [5, 8, 5, 7, 5, 5, 1], expect: [5, 8, 8, 8, 8, 8, 7] },
    { name: 'windowing out 5', values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4], expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5] },
    {
      name: 'windowing out 8',
      values: [5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9, 3, 4, 2, 1, 0],
      expect: [5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9, 9, 9, 9, 9, 4],
    },
    { name: 'same slot, ascending', values: [1, 2, 3, 4, 5, 6, 7], index: () => 1, expect: [1, 2, 3, 4, 5, 6, 7] },
    { name: 'same slot, descending', values: [7, 6, 5, 4, 3, 2, 1], index: () => 1, expect: [7, 7, 7, 7, 7, 7, 7] },
  ];
  it.each(cases)('$name', ({ values, index = (i) => i, expect: want }) => {
    let w = new TimeWindow(5 * SECOND, SECOND);
    const got: number[] = [];
    values.forEach((v, i) => {
      w = w.record(index(i) * SECOND, v);
      got.push(w.current());
    });
    expect(got).toEqual(want);
  });

  it.each([
    { name: 'two values in the same second', values: [[0, 6], [500, 5]], want: 6 },
    { name: 'two values', values: [[0, 5], [1000, 8]], want: 8 },
    { name: 'time gap', values: [[0, 5], [6000, 4]], want: 4 },
  ])('$name', ({ values, want }) => {
    let w = new TimeWindow(5 * SECOND, SECOND);
    for (const [at, v] of values) w = w.record(NOW + at!, v!);
    expect(w.current()).toBe(want);
  });

  it('is immutable: record returns a new window', () => {
    const empty = new TimeWindow(5 * SECOND, SECOND);
    const one = empty.record(0, 3);
    expect(empty.current()).toBe(0);
    expect(one.current()).toBe(3);
  });
});

/** A line-by-line port of Knative serving's TimedFloat64Buckets (ring buffer; Record and WindowAverage). */
class KnativeBuckets {
  readonly buckets: number[];
  firstWrite: number | undefined;
  lastWrite = -Infinity;
  windowTotal = 0;
  readonly window: number;
  readonly granularity: number;
  constructor(window: number, granularity: number) {
    this.window = window;
    this.granularity = granularity;
    this.buckets = new Array(Math.ceil(window / granularity)).fill(0);
  }
  idx(t: number): number {
    return Math.floor(t / this.granularity);
  }
  record(now: number, value: number): void {
    const bucketTime = this.idx(now) * this.granularity;
    const writeIdx = this.idx(now);
    const n = this.buckets.length;
    if (this.lastWrite !== bucketTime) {
      if (bucketTime + this.window > this.lastWrite) {
        if (this.firstWrite === undefined || this.firstWrite > bucketTime) this.firstWrite = bucketTime;
        if (bucketTime > this.lastWrite) {
          if (bucketTime - this.lastWrite >= this.window) {
            this.firstWrite = bucketTime;
            this.buckets.fill(0);
            this.windowTotal = 0;
          } else {
            for (let i = this.idx(this.lastWrite) + 1; i <= writeIdx; i++) {
              this.windowTotal -= this.buckets[i % n]!;
              this.buckets[i % n] = 0;
            }
          }
          this.lastWrite = bucketTime;
        }
      } else {
        return;
      }
    }
    this.buckets[writeIdx % n]! += value;
    this.windowTotal += value;
  }
  windowAverage(nowMs: number): number {
    const now = this.idx(nowMs) * this.granularity;
    const n = this.buckets.length;
    const d = now - this.lastWrite;
    const first = this.firstWrite ?? this.lastWrite;
    if (d <= 0) {
      return this.windowTotal / Math.min((this.lastWrite - first) / this.granularity + 1, n);
    }
    if (d < this.window) {
      const st = this.idx(this.lastWrite);
      const e = this.idx(now);
      let ret = this.windowTotal;
      for (let i = st + 1; i <= e; i++) ret -= this.buckets[i % n]!;
      return ret / Math.min((this.lastWrite - first) / this.granularity + 1, n - (e - st));
    }
    return 0;
  }
}
