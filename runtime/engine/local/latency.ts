/** @module Recent request latencies per function, for the p50/p99 that `switchyard status` shows. */

export interface LatencyTracker {
  record(fn: string, ms: number): void;
  quantile(fn: string, q: number): number | undefined;
}

export function createLatencyTracker(size = 1024): LatencyTracker {
  const rings = new Map<string, { values: number[]; next: number }>();
  return {
    record(fn, ms) {
      let ring = rings.get(fn);
      if (ring === undefined) rings.set(fn, (ring = { values: [], next: 0 }));
      if (ring.values.length < size) ring.values.push(ms);
      else ring.values[ring.next] = ms;
      ring.next = (ring.next + 1) % size;
    },
    quantile(fn, q) {
      const values = rings.get(fn)?.values;
      if (!values || values.length === 0) return undefined;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    },
  };
}
