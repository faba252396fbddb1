/**
 * @module Measuring several ways of reaching the same model side by side: each variant's latency at
 * concurrency 1 and throughput at a fixed concurrency, interleaved over rounds (a, b, c, a, b, c, …) so that
 * drift on the machine hits every variant alike; the figure kept per variant is the median over rounds.
 */
import type { LoadResult } from './load.ts';
import { cpuTimeMs, loadAverage, type LabelledProcess } from './proc.ts';
import { median, round } from './stats.ts';

export interface Variant {
  name: string;
  /** Runs before each measurement at its concurrency, unmeasured (e.g. so the autoscaler sizes the pools). */
  warmup?(concurrency: number): Promise<void>;
  /** Runs `concurrency` closed-loop workers for `durationMs`. */
  measure(concurrency: number, durationMs: number): Promise<LoadResult>;
  /** The processes that serve this variant, for CPU time per request (looked up at each measurement). */
  processes?(): LabelledProcess[];
}

export interface MeasureOptions {
  rounds: number;
  latencyMs: number;
  throughputMs: number;
  concurrency: number;
  log: (line: string) => void;
}

export interface VariantFigures {
  /** Medians over rounds at concurrency 1. */
  p50Ms: number;
  p99Ms: number;
  /** Median over rounds at `concurrency`. */
  rps: number;
  p50AtConcurrencyMs: number;
  /** The load generator's CPU (cores) during the throughput runs, median. */
  clientCpuCores: number;
  /** CPU time per request of each serving process (summed over a function's replicas) at `concurrency`, µs, median. */
  cpuPerRequestUs: Record<string, number>;
  /** The machine's 1-minute load average at each round's start: other work on the machine shows here. */
  loadAverages: number[];
  errors: number;
  rounds: { latency: LoadResult; throughput: LoadResult }[];
}

export async function measureVariants(variants: Variant[], options: MeasureOptions): Promise<Record<string, VariantFigures>> {
  const runs = new Map<string, { latency: LoadResult; throughput: LoadResult; cpu: Record<string, number>; load: number }[]>(variants.map((v) => [v.name, []]));
  for (let round_ = 1; round_ <= options.rounds; round_++) {
    for (const variant of variants) {
      const load = loadAverage();
      await variant.warmup?.(1);
      const latency = await variant.measure(1, options.latencyMs);
      await variant.warmup?.(options.concurrency);
      const processes = variant.processes?.() ?? [];
      const before = processes.map((p) => cpuTimeMs(p.pid));
      const throughput = await variant.measure(options.concurrency, options.throughputMs);
      const cpu: Record<string, number> = {};
      processes.forEach((p, i) => {
        const used = (cpuTimeMs(p.pid) ?? Number.NaN) - (before[i] ?? Number.NaN);
        if (Number.isFinite(used) && throughput.requests > 0) cpu[p.label] = (cpu[p.label] ?? 0) + (used * 1000) / throughput.requests;
      });
      runs.get(variant.name)!.push({ latency, throughput, cpu, load });
      options.log(
        `round ${round_}/${options.rounds} ${variant.name}: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms at c=1; ` +
          `${throughput.rps} req/s at c=${options.concurrency}${latency.errors + throughput.errors > 0 ? `; ${latency.errors + throughput.errors} errors (${latency.firstError ?? throughput.firstError})` : ''}`,
      );
    }
  }
  const out: Record<string, VariantFigures> = {};
  for (const [name, rounds] of runs) {
    out[name] = {
      p50Ms: round(median(rounds.map((r) => r.latency.p50Ms))),
      p99Ms: round(median(rounds.map((r) => r.latency.p99Ms))),
      rps: round(median(rounds.map((r) => r.throughput.rps))),
      p50AtConcurrencyMs: round(median(rounds.map((r) => r.throughput.p50Ms))),
      clientCpuCores: round(median(rounds.map((r) => r.throughput.clientCpuCores))),
      cpuPerRequestUs: medianByKey(rounds.map((r) => r.cpu)),
      loadAverages: rounds.map((r) => r.load),
      errors: rounds.reduce((sum, r) => sum + r.latency.errors + r.throughput.errors, 0),
      rounds: rounds.map(({ latency, throughput }) => ({ latency, throughput })),
    };
  }
  return out;
}

function medianByKey(records: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, Math.round(median(records.map((r) => r[k]).filter((v): v is number => v !== undefined)))]));
}
