/**
 * @module Sliding windows over time: the average of time buckets (Knative's `TimedFloat64Buckets`, which gives the
 * stable and panic concurrency) and the maximum of recent values (Knative's `max.TimeWindow`, which gives the
 * scale-down delay).
 *
 * Time is a parameter: every method takes `now` in milliseconds (any monotonic origin), so tests are exact.
 */

/** Knative's `roundToNDigits(6, x)`: averages are floored to 6 decimals so float noise cannot tip a `ceil`. */
const PRECISION = 1e6;

function floorTo6Digits(x: number): number {
  const rounded = Math.floor(x * PRECISION) / PRECISION;
  // Unlike Knative, a positive average never rounds down to 0: "zero concurrency" must mean no traffic at all,
  // since the decider only asks for 0 replicas when the stable average is exactly 0.
  return rounded === 0 && x > 0 ? x : rounded;
}

export interface TimedBucketsOptions {
  /** The longest window asked for (the stable window). `windowAverage` and `isEmpty` default to it. */
  windowMs: number;
  /** Width of one bucket (Knative: 1 s). */
  granularityMs?: number;
}

/**
 * Values summed into buckets of `granularityMs` keyed by time, averaged over a sliding window, with Knative's
 * semantics (serving `pkg/autoscaler/aggregation/bucketing.go`):
 * - values recorded in the same bucket add up (Knative: one report per pod per second);
 * - a missing bucket inside the window counts as 0;
 * - the average is over a partial window while the data is younger than the window ("first write"), and a gap of a
 *   whole window without writes starts such a partial window again;
 * - buckets after the last write are left out, and once a whole window has passed without writes the average is 0;
 * - a value older than a window before the last write is ignored.
 *
 * Unlike Knative, where the stable and panic windows are two bucket sets, one set answers any window up to
 * `windowMs` (`windowAverage(now, panicWindowMs)`) with the same result as a separate set of that length, given
 * non-decreasing record times (what the collector produces).
 */
export class TimedBuckets {
  readonly windowMs: number;
  readonly granularityMs: number;
  readonly #sums = new Map<number, number>();
  /** Indexes of the buckets written to, ascending. */
  #indexes: number[] = [];
  /** Index of the newest bucket written to (Knative's `lastWrite`). */
  #last: number | undefined;

  constructor({ windowMs, granularityMs = 1000 }: TimedBucketsOptions) {
    if (!(windowMs > 0)) throw new RangeError(`TimedBuckets: windowMs must be > 0, received ${windowMs}`);
    if (!(granularityMs > 0)) throw new RangeError(`TimedBuckets: granularityMs must be > 0, received ${granularityMs}`);
    this.windowMs = windowMs;
    this.granularityMs = granularityMs;
  }

  /** Adds `value` to the bucket holding `now`. */
  record(now: number, value: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(now)) return;
    const index = Math.floor(now / this.granularityMs);
    const last = this.#last;
    if (last !== undefined && (last - index) * this.granularityMs >= this.windowMs) return;
    const sum = this.#sums.get(index);
    if (sum === undefined) {
      this.#sums.set(index, value);
      this.#insert(index);
    } else {
      this.#sums.set(index, sum + value);
    }
    if (last === undefined || index > last) {
      this.#last = index;
      this.#prune(index);
    }
  }

  /**
   * The average bucket value over the `windowMs` before `now` (at most the constructor's window), or 0 when nothing
   * was recorded in that window.
   */
  windowAverage(now: number, windowMs: number = this.windowMs): number {
    const last = this.#last;
    if (last === undefined) return 0;
    const w = Math.min(windowMs, this.windowMs);
    if (!(w > 0)) return 0;
    const g = this.granularityMs;
    const buckets = Math.ceil(w / g);
    const nowIndex = Math.floor(now / g);
    const sinceLast = nowIndex - last;
    if (sinceLast * g >= w) return 0;
    const oldest = Math.max(last, nowIndex) - buckets + 1;
    let total = 0;
    for (let k = this.#indexes.length - 1; k >= 0; k--) {
      const index = this.#indexes[k]!;
      if (index < oldest) break;
      total += this.#sums.get(index)!;
    }
    const first = this.#firstWrite(w, buckets);
    const count = Math.min(last - first + 1, buckets - Math.max(0, sinceLast));
    return floorTo6Digits(total / count);
  }

  /** True when nothing was recorded within `windowMs` before `now` (Knative's `IsEmpty`): "no data". */
  isEmpty(now: number, windowMs: number = this.windowMs): boolean {
    if (this.#last === undefined) return true;
    return (Math.floor(now / this.granularityMs) - this.#last) * this.granularityMs > windowMs;
  }

  /**
   * The bucket where the current run of writes began for a window of `w` ms: walking back from the last write, a gap
   * of a whole window between two writes is where Knative reset `firstWrite`. Only the last `buckets` matter.
   */
  #firstWrite(w: number, buckets: number): number {
    const last = this.#last!;
    let first = last;
    for (let k = this.#indexes.length - 2; k >= 0 && first > last - buckets; k--) {
      const previous = this.#indexes[k]!;
      if ((first - previous) * this.granularityMs >= w) break;
      first = previous;
    }
    return first;
  }

  #insert(index: number): void {
    const indexes = this.#indexes;
    let k = indexes.length;
    while (k > 0 && indexes[k - 1]! > index) k--;
    indexes.splice(k, 0, index);
  }

  /** Keeps two windows of history: enough to tell where the current run of writes began. */
  #prune(last: number): void {
    const keepFrom = last - 2 * Math.ceil(this.windowMs / this.granularityMs);
    let drop = 0;
    while (drop < this.#indexes.length && this.#indexes[drop]! < keepFrom) {
      this.#sums.delete(this.#indexes[drop]!);
      drop++;
    }
    if (drop > 0) this.#indexes = this.#indexes.slice(drop);
  }
}

interface MaxEntry {
  readonly index: number;
  readonly value: number;
}

/**
 * The maximum value recorded over the last `durationMs`, in slots of `granularityMs` (Knative's `max.TimeWindow`
 * over `max.window`, the "ascending minima" algorithm by Richard Harter: the window keeps the values that can still
 * become the maximum, in descending order). The autoscaler records its desired scale every tick and uses the
 * maximum, so that a scale-down happens only once the lower value has held for the whole scale-down delay.
 *
 * It is an immutable value: `record` returns a new window, so a decider state that holds one stays plain data.
 */
export class TimeWindow {
  readonly durationMs: number;
  readonly granularityMs: number;
  readonly #size: number;
  readonly #maxima: readonly MaxEntry[];

  constructor(durationMs: number, granularityMs: number, maxima: readonly MaxEntry[] = []) {
    if (!(durationMs > 0)) throw new RangeError(`TimeWindow: durationMs must be > 0, received ${durationMs}`);
    if (!(granularityMs > 0)) throw new RangeError(`TimeWindow: granularityMs must be > 0, received ${granularityMs}`);
    this.durationMs = durationMs;
    this.granularityMs = granularityMs;
    this.#size = Math.ceil(durationMs / granularityMs);
    this.#maxima = maxima;
  }

  /** The window with `value` recorded at `now` (times are expected not to go backwards). */
  record(now: number, value: number): TimeWindow {
    const index = Math.floor(now / this.granularityMs);
    const maxima = [...this.#maxima];
    // A value not above the new one can never be the maximum again: the new one is larger and more recent.
    while (maxima.length > 0 && value >= maxima[maxima.length - 1]!.value) maxima.pop();
    // Drop what has fallen out of the window (the oldest entries are first).
    while (maxima.length > 0 && index - maxima[0]!.index >= this.#size) maxima.shift();
    // Two values in the same slot: keep the larger.
    const tail = maxima[maxima.length - 1];
    if (tail !== undefined && tail.index === index) {
      value = Math.max(value, tail.value);
      maxima.pop();
    }
    maxima.push({ index, value });
    return new TimeWindow(this.durationMs, this.granularityMs, maxima);
  }

  /** The maximum over the window as of the last `record` (0 before any). */
  current(): number {
    return this.#maxima[0]?.value ?? 0;
  }
}
