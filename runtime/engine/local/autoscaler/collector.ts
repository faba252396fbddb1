/**
 * @module Concurrency sampling per function: the gateway reports each request's start and end, and the collector
 * turns the in-flight count into per-second averages in a `TimedBuckets`, read back as stable and panic averages.
 *
 * Sampling choice: one sample per second, the **time-weighted average** of the in-flight count over that second
 * (what Knative's queue-proxy reports as `AverageConcurrentRequests` every second). A request that lives 250 ms of a
 * second counts 0.25 for it; 100 requests held all second count 100. The sample of the second ending at `T` is
 * recorded at `T`, so the bucket of the current second holds the last complete second and an average never sees a
 * half-finished one. Seconds are closed lazily, on the next event or read, so nothing needs a timer; a long quiet
 * spell records only the seconds that can still fall in the stable window.
 *
 * Requests held by the gateway while a function cold-starts count as in flight, as Knative's activator reports them.
 */
import type { ScalingPolicy } from '../../../plan/types.ts';
import { TimedBuckets } from './window.ts';

/** Width of a sample (Knative's bucket size and queue-proxy reporting period). */
export const SAMPLE_MS = 1000;

export interface ConcurrencyWindows {
  stableWindowMs: number;
  panicWindowMs: number;
}

/** Knative's defaults: a 60 s stable window and a panic window of 10 % of it. */
export const KNATIVE_WINDOWS: ConcurrencyWindows = { stableWindowMs: 60_000, panicWindowMs: 6_000 };

/** The windows a policy asks for: the panic window is a percentage of the stable one, at least one sample long. */
export function windowsOf(policy: Pick<ScalingPolicy, 'stableWindowMs' | 'panicWindowPercentage'>): ConcurrencyWindows {
  return {
    stableWindowMs: policy.stableWindowMs,
    panicWindowMs: Math.max(SAMPLE_MS, (policy.stableWindowMs * policy.panicWindowPercentage) / 100),
  };
}

export interface ConcurrencyAverages {
  /** Average concurrency over the stable window. */
  stable: number;
  /** Average concurrency over the panic window. */
  panic: number;
}

export interface CollectorOptions {
  /** The windows of each function (default: Knative's). */
  windows?: (fn: string) => ConcurrencyWindows;
}

interface Series {
  readonly windows: ConcurrencyWindows;
  readonly buckets: TimedBuckets;
  inFlight: number;
  /** The second being accumulated (index of `floor(ms / SAMPLE_MS)`). */
  second: number;
  /** In-flight × milliseconds accumulated in `second` up to `at`. */
  area: number;
  at: number;
}

export class ConcurrencyCollector {
  readonly #series = new Map<string, Series>();
  readonly #windows: (fn: string) => ConcurrencyWindows;

  constructor({ windows = () => KNATIVE_WINDOWS }: CollectorOptions = {}) {
    this.#windows = windows;
  }

  /** Starts sampling `fn` at zero concurrency (requests start it too); from the next whole second it has data. */
  track(fn: string, now: number): void {
    this.#advance(fn, now);
  }

  requestStarted(fn: string, now: number): void {
    this.#advance(fn, now).inFlight++;
  }

  /** A finish without a matching start is ignored: the count never goes below 0. */
  requestFinished(fn: string, now: number): void {
    const series = this.#advance(fn, now);
    if (series.inFlight > 0) series.inFlight--;
  }

  /** Requests in flight right now. */
  inFlight(fn: string): number {
    return this.#series.get(fn)?.inFlight ?? 0;
  }

  /**
   * Stable and panic averages as of `now`, or `undefined` when there is no data (nothing sampled within the stable
   * window: Knative's `ErrNoData`).
   */
  averages(fn: string, now: number): ConcurrencyAverages | undefined {
    if (!this.#series.has(fn)) return undefined;
    const { buckets, windows } = this.#advance(fn, now);
    if (buckets.isEmpty(now, windows.stableWindowMs)) return undefined;
    return {
      stable: buckets.windowAverage(now, windows.stableWindowMs),
      panic: buckets.windowAverage(now, windows.panicWindowMs),
    };
  }

  /** Stops sampling `fn` and drops its history. */
  forget(fn: string): void {
    this.#series.delete(fn);
  }

  #advance(fn: string, now: number): Series {
    let series = this.#series.get(fn);
    if (!series) {
      const windows = this.#windows(fn);
      series = {
        windows,
        buckets: new TimedBuckets({ windowMs: Math.max(windows.stableWindowMs, windows.panicWindowMs), granularityMs: SAMPLE_MS }),
        inFlight: 0,
        second: Math.floor(now / SAMPLE_MS),
        area: 0,
        at: now,
      };
      this.#series.set(fn, series);
      return series;
    }
    // A monotonic clock never goes back; if an event arrives out of order, it is counted at the latest time seen.
    const at = Math.max(now, series.at);
    const second = Math.floor(at / SAMPLE_MS);
    if (second > series.second) {
      const end = (series.second + 1) * SAMPLE_MS;
      series.buckets.record(end, (series.area + series.inFlight * (end - series.at)) / SAMPLE_MS);
      // Whole seconds at a constant count since then; only the last stable window's worth can still matter.
      const keep = Math.ceil(series.buckets.windowMs / SAMPLE_MS) + 1;
      for (let s = Math.max(series.second + 1, second - keep); s < second; s++) {
        series.buckets.record((s + 1) * SAMPLE_MS, series.inFlight);
      }
      series.second = second;
      series.area = 0;
      series.at = second * SAMPLE_MS;
    }
    series.area += series.inFlight * (at - series.at);
    series.at = at;
    return series;
  }
}
