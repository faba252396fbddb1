/**
 * Burst: traffic jumps from nothing to N concurrent predictions on a graph at zero replicas, with the engine's
 * Knative defaults (2 s tick, 60 s stable window, 6 s panic window). Measured on the burst fixture (one model
 * of 50 ms, containerConcurrency 4, maxScale 8) and on the seed graph: time to the first answer from zero, time
 * until the model's ready replicas reach what the autoscaler wants, p50/p99 during the burst, answered/lost,
 * peak replicas. Then the cold start of the seed graph, and of a chain of three small functions, both ways:
 * graph-aware activation (every function woken by the first request) against the cascading cold start (each
 * function started when first called); and the same with the orchestrator kept warm (`minScale: 1`) over functions
 * at zero, where only the orchestrator's own wakes (runtime/orchestrator/graph-activation.ts) can help, as on
 * Knative.
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startLocalEngine } from '../../runtime/engine/local/engine.ts';
import type { EngineStatus } from '../../runtime/engine/local/status.ts';
import { buildForBench, type BuiltGraph } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { request } from '../lib/load.ts';
import type { Scenario } from '../lib/scenario.ts';
import { median, quantile, round } from '../lib/stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const GRAPHS = [
  { label: 'burst fixture (50 ms model)', file: path.join(ROOT, 'test/fixtures/engine/burst.yaml'), models: ['doubler'], body: '{"data":{"ndarray":[[1,2]]}}' },
  { label: 'seed graph', file: path.join(ROOT, 'examples/seed/graph.yaml'), models: ['good-model', 'weak-model'], body: readFileSync(path.join(ROOT, 'examples/seed/requests/seldon.json'), 'utf8') },
];
/** Graphs whose cold start is measured both ways: the path each request takes, and a request. */
const COLD_GRAPHS = [
  { label: 'seed graph', path: 'orchestrator → features → model', file: GRAPHS[1]!.file, body: GRAPHS[1]!.body },
  { label: 'chain of 3 components', path: 'orchestrator → first → second → last', file: path.join(ROOT, 'test/fixtures/engine/chain.yaml'), body: '{"data":{"ndarray":[[1,2]]}}' },
];

interface Sample {
  t: number;
  fn: string;
  ready: number;
  desired: number;
  queued: number;
  panicking: boolean;
}

export interface BurstFigures {
  graph: string;
  concurrency: number;
  durationMs: number;
  sent: number;
  answered: number;
  /** Non-200 HTTP answers, by status. */
  failed: Record<string, number>;
  /** Requests that got no HTTP answer at all. */
  lost: number;
  firstResponseMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Per model function: the most replicas wanted and ready, and when ready first reached the most wanted. */
  scale: Record<string, { peakDesired: number; peakReady: number; timeToDesiredMs: number | null; panicked: boolean }>;
  /** Ready replicas of each model function every ~200 ms: [ms since the burst began, ready, desired]. */
  timeline: Record<string, Array<[number, number, number]>>;
}

async function burst(built: BuiltGraph, graph: (typeof GRAPHS)[number], concurrency: number, durationMs: number): Promise<BurstFigures> {
  const engine = await startEngineProcess({ buildDir: built.outDir });
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const probe = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${engine.url}/api/v1.0/predictions`);
  const statusUrl = new URL(`${engine.url}/_switchyard/status`);
  const body = Buffer.from(graph.body);
  const send = { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': String(body.byteLength) } };
  const latencies: number[] = [];
  const failed: Record<string, number> = {};
  const samples: Sample[] = [];
  let sent = 0;
  let lost = 0;
  let firstResponseMs = Number.NaN;
  try {
    const started = performance.now();
    const deadline = started + durationMs;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const t = performance.now() - started;
        try {
          const status = JSON.parse((await request(probe, statusUrl, { method: 'GET', headers: {} })).body.toString('utf8')) as EngineStatus;
          for (const fn of status.functions) samples.push({ t, fn: fn.function, ready: fn.ready, desired: fn.desired, queued: fn.queued, panicking: fn.panicking });
        } catch {
          // A missed sample; the next one follows.
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          sent++;
          const t = performance.now();
          try {
            const { status } = await request(agent, url, send);
            const end = performance.now();
            if (status === 200) {
              latencies.push(end - t);
              if (Number.isNaN(firstResponseMs)) firstResponseMs = end - started;
            } else {
              failed[status] = (failed[status] ?? 0) + 1;
            }
          } catch {
            lost++;
          }
        }
      }),
    );
    sampling = false;
    await sampler;
  } finally {
    agent.destroy();
    probe.destroy();
    await engine.stop();
  }
  const scale: BurstFigures['scale'] = {};
  const timeline: BurstFigures['timeline'] = {};
  for (const fn of graph.models) {
    const own = samples.filter((s) => s.fn === fn);
    const peakDesired = Math.max(0, ...own.map((s) => s.desired));
    const reached = own.find((s) => s.ready >= peakDesired && peakDesired > 0);
    scale[fn] = {
      peakDesired,
      peakReady: Math.max(0, ...own.map((s) => s.ready)),
      timeToDesiredMs: reached ? Math.round(reached.t) : null,
      panicked: own.some((s) => s.panicking),
    };
    timeline[fn] = own.filter((_, i) => i % 2 === 0).map((s) => [Math.round(s.t), s.ready, s.desired]);
  }
  return {
    graph: graph.label,
    concurrency,
    durationMs,
    sent,
    answered: latencies.length,
    failed,
    lost,
    firstResponseMs: round(firstResponseMs),
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    scale,
    timeline,
  };
}

export interface ColdStartFigures {
  graph: string;
  mode: 'graph-aware' | 'cascading';
  /** Whether the orchestrator was already running (minScale 1) and only the functions were at zero. */
  warmOrchestrator: boolean;
  /** Each run's first-response latency from a cold graph. */
  firstResponseMs: number[];
  medianMs: number;
  /** Median cold start (spawn to ready) of each function that served the request. */
  coldStartMs: Record<string, number>;
}

/**
 * One request to a cold graph, in a fresh engine (in this process: nothing else runs meanwhile); with
 * `warmOrchestrator`, the orchestrator runs before the request (minScale 1) and only its functions are at zero.
 */
async function coldRequest(built: BuiltGraph, body: string, graphActivation: boolean, warmOrchestrator: boolean): Promise<{ ms: number; starts: Record<string, number> }> {
  const plan = structuredClone(built.plan);
  if (warmOrchestrator) plan.functions.orchestrator!.scaling.minScale = 1;
  const engine = await startLocalEngine({ plan, buildDir: built.outDir, port: 0, state: { kind: 'memory' }, log: () => {}, graphActivation });
  try {
    if (warmOrchestrator) {
      const deadline = performance.now() + 30_000;
      while (engine.status().functions.find((f) => f.function === 'orchestrator')!.ready === 0) {
        if (performance.now() > deadline) throw new Error('the orchestrator (minScale 1) did not start within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const started = performance.now();
    const response = await fetch(`${engine.url}/api/v1.0/predictions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`a cold request answered ${response.status}: ${await response.text()}`);
    const path = ((await response.json()) as { meta: { requestPath: Record<string, string> } }).meta.requestPath;
    const served = new Set(['orchestrator', ...Object.values(path)]);
    const starts: Record<string, number> = {};
    for (const fn of engine.status().functions) if (served.has(fn.function) && fn.lastStartMs !== undefined) starts[fn.function] = fn.lastStartMs;
    return { ms, starts };
  } finally {
    await engine.stop();
  }
}

async function coldStarts(graph: (typeof COLD_GRAPHS)[number], runs: number, log: (line: string) => void): Promise<ColdStartFigures[]> {
  const built = await buildForBench(graph.file);
  try {
    return await coldStartsOf(built, graph, runs, log);
  } finally {
    await built.cleanup();
  }
}

async function coldStartsOf(built: BuiltGraph, graph: (typeof COLD_GRAPHS)[number], runs: number, log: (line: string) => void): Promise<ColdStartFigures[]> {
  const VARIANTS = [
    { mode: 'graph-aware', warm: false },
    { mode: 'cascading', warm: false },
    { mode: 'graph-aware', warm: true },
    { mode: 'cascading', warm: true },
  ] as const;
  const results = VARIANTS.map(() => [] as Array<{ ms: number; starts: Record<string, number> }>);
  // Interleaved, so that every variant sees the same machine state.
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of VARIANTS.entries()) {
      const run = await coldRequest(built, graph.body, variant.mode === 'graph-aware', variant.warm);
      results[v]!.push(run);
      log(`${graph.label}, cold${variant.warm ? ' functions, warm orchestrator' : ''}, ${variant.mode} #${i + 1}: ${Math.round(run.ms)} ms`);
    }
  }
  return VARIANTS.map(({ mode, warm }, v) => {
    const runsOf = results[v]!;
    const fns = [...new Set(runsOf.flatMap((r) => Object.keys(r.starts)))];
    return {
      graph: graph.label,
      mode,
      warmOrchestrator: warm,
      firstResponseMs: runsOf.map((r) => round(r.ms)),
      medianMs: round(median(runsOf.map((r) => r.ms))),
      coldStartMs: Object.fromEntries(fns.map((fn) => [fn, round(median(runsOf.flatMap((r) => (r.starts[fn] === undefined ? [] : [r.starts[fn]!]))))])),
    };
  });
}

function summarize(bursts: BurstFigures[], cold: ColdStartFigures[], runs: number, load: number[]): string[] {
  const lines = [
    '| graph | clients | requests | answered | lost | first answer from zero | replicas wanted → ready after | peak replicas | p50 | p99 |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const b of bursts) {
    const failed = Object.entries(b.failed).map(([code, n]) => `${n}×${code}`).join(', ');
    const scale = Object.entries(b.scale)
      .filter(([, s]) => s.peakDesired > 0)
      .map(([fn, s]) => `${fn}: ${s.peakDesired} → ${s.timeToDesiredMs === null ? 'not reached' : `${(s.timeToDesiredMs / 1000).toFixed(1)} s`}${s.panicked ? ' (panic)' : ''}`)
      .join('; ');
    const peak = Object.entries(b.scale).filter(([, s]) => s.peakReady > 0).map(([fn, s]) => `${fn} ${s.peakReady}`).join(', ');
    lines.push(
      `| ${b.graph} | ${b.concurrency} | ${b.sent} | ${b.answered}${failed ? ` (+ ${failed})` : ''} | ${b.lost} | ${Math.round(b.firstResponseMs)} ms | ${scale} | ${peak} | ${Math.round(b.p50Ms)} ms | ${Math.round(b.p99Ms)} ms |`,
    );
  }
  const starts = (c: ColdStartFigures) => Object.entries(c.coldStartMs).map(([fn, ms]) => `${fn} ${Math.round(ms)}`).join(', ');
  lines.push('', `| cold graph, first answer (median of ${runs}) | graph-aware activation (default) | cascading (\`--no-graph-activation\`) |`, '|---|---:|---:|');
  for (const warm of [false, true]) {
    for (const graph of COLD_GRAPHS) {
      const aware = cold.find((c) => c.graph === graph.label && c.mode === 'graph-aware' && c.warmOrchestrator === warm);
      const cascading = cold.find((c) => c.graph === graph.label && c.mode === 'cascading' && c.warmOrchestrator === warm);
      if (aware === undefined || cascading === undefined) continue;
      const label = warm ? `${graph.label}, orchestrator kept warm (${graph.path.replace(/^orchestrator → /, '')})` : `${graph.label} (${graph.path})`;
      lines.push(`| ${label} | **${Math.round(aware.medianMs)} ms** (${starts(aware)}) | **${Math.round(cascading.medianMs)} ms** (${starts(cascading)}) |`);
    }
  }
  lines.push(
    '',
    `- Each burst: ${bursts[0]?.concurrency} closed-loop clients start at once on a graph at zero replicas and keep sending for ${(bursts[0]?.durationMs ?? 0) / 1000} s; the engine runs in its own process with Knative's defaults (2 s tick, 60 s stable window, 6 s panic window, target 100 × 70 %), so the model is sized by containerConcurrency 4 (2.8 per replica) and capped by maxScale 8. "Wanted → ready after": the autoscaler's largest desired count and how long from the start of the burst until that many replicas were ready. Replica counts are sampled every 100 ms from \`/_switchyard/status\`.`,
    `- Load average when the scenario began (1/5/15 min): ${load.map((l) => l.toFixed(1)).join(' / ')} on ${os.availableParallelism()} cores${load[0]! > os.availableParallelism() ? ' — the machine was busy with other work, which slows cold starts and raises the latencies' : ''}.`,
    `- Cold start: a fresh engine per run (every function at zero), one request, the two ways in alternation; in brackets each function's own cold start (spawn to ready, ms). Graph-aware activation starts every function of the graph (the seed graph's both models, though a request uses one) in path order, at most as many at once as there are cores (${os.availableParallelism()} here); cascading starts each when it is first called, so it pays the sum along the path. Starting a process is CPU-bound: where the cores are busy, parallel starts slow each other and graph-aware activation gains little or nothing.`,
    `- "Orchestrator kept warm": the orchestrator runs (minScale 1) and its functions are at zero, as on Knative when only the front door is kept up: the gateway has nothing to wake, and graph-aware activation is the orchestrator's own, which wakes every function at its first request (runtime/orchestrator/graph-activation.ts); cascading has it off.`,
  );
  return lines;
}

export const scenario: Scenario = {
  name: 'burst',
  description: 'from zero replicas to a burst of concurrent predictions: first answer, time to scale, latency, nothing lost; graph-aware vs cascading cold start',
  async run(ctx) {
    const concurrency = ctx.quick ? 100 : 300;
    const durationMs = ctx.quick ? 3000 : 10_000;
    const runs = ctx.quick ? 1 : 5;
    const load = os.loadavg();
    const bursts: BurstFigures[] = [];
    for (const graph of GRAPHS) {
      const built = await buildForBench(graph.file);
      try {
        ctx.log(`${graph.label}: ${concurrency} clients from zero for ${durationMs / 1000} s`);
        const figures = await burst(built, graph, concurrency, durationMs);
        ctx.log(`${graph.label}: ${figures.answered} answered, ${figures.lost} lost, first answer ${Math.round(figures.firstResponseMs)} ms, p99 ${Math.round(figures.p99Ms)} ms`);
        bursts.push(figures);
      } finally {
        await built.cleanup();
      }
    }
    const cold: ColdStartFigures[] = [];
    for (const graph of COLD_GRAPHS) cold.push(...(await coldStarts(graph, runs, ctx.log)));
    const unanswered = bursts.reduce((sum, b) => sum + b.lost + Object.values(b.failed).reduce((a, n) => a + n, 0), 0);
    return { bursts, coldStart: cold, unanswered, loadAverage: load.map((l) => round(l)), summary: summarize(bursts, cold, runs, load) };
  },
};
