/**
 * Cold start: from a request that finds a function at zero replicas to its response, per function kind (a
 * user component, a small ONNX model, a ResNet-50-sized ONNX model) and for whole graphs; with each bundle's
 * size and where a start's time goes (process start and module load, then model or component init).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { buildForBench, bundleOf, type BuiltGraph } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { startFunctionProcess } from '../lib/function-process.ts';
import { request } from '../lib/load.ts';
import { prepareResnet, RESNET_GRAPH, resnetRequests } from '../lib/resnet-inputs.ts';
import { SEED_GRAPH, seedRequests } from '../lib/seed-variants.ts';
import { median, round } from '../lib/stats.ts';
import type { Scenario } from '../lib/scenario.ts';
import http from 'node:http';

interface Target {
  label: string;
  kind: string;
  graph: BuiltGraph;
  /** A function of the graph, or undefined for the whole graph (through the orchestrator). */
  fn?: string;
  path: string;
  body: string;
  targetMs?: number;
}

interface Row {
  label: string;
  kind: string;
  requestToResponseMs: number;
  replicaStartMs: number | undefined;
  spawnToListeningMs: number | undefined;
  listeningToReadyMs: number | undefined;
  bundleKiB: number | undefined;
  modelMB: number | undefined;
  targetMs: number | undefined;
  samples: number[];
}

/** One cold start: a fresh engine (every function at zero), one request, its latency. */
async function coldRequest(t: Target): Promise<{ ms: number; replicaStartMs: number | undefined }> {
  const engine = await startEngineProcess({ buildDir: t.graph.outDir });
  const agent = new http.Agent({ keepAlive: false });
  try {
    const url = new URL(t.fn === undefined ? `${engine.url}${t.path}` : `${engine.url}/_fn/${t.fn}${t.path}`);
    const started = performance.now();
    const answer = await request(agent, url, { method: 'POST', body: t.body, headers: { 'content-type': 'application/json' } });
    const ms = performance.now() - started;
    if (answer.status !== 200) throw new Error(`${t.label}: HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
    const status = JSON.parse((await request(agent, new URL(`${engine.url}/_switchyard/status`), { method: 'GET', headers: {} })).body.toString('utf8')) as {
      functions: Array<{ function: string; lastStartMs?: number }>;
    };
    const replicaStartMs = status.functions.find((f) => f.function === (t.fn ?? 'orchestrator'))?.lastStartMs;
    return { ms, replicaStartMs };
  } finally {
    agent.destroy();
    await engine.stop();
  }
}

export const scenario: Scenario = {
  name: 'cold-start',
  description: 'request at zero replicas → response, per function kind and per graph, with bundle sizes and start breakdown',
  async run(ctx) {
    const iterations = ctx.quick ? 1 : 5;
    await prepareResnet(ctx.log);
    ctx.log('compiling examples/seed/graph.yaml and examples/resnet/graph.yaml');
    const seed = await buildForBench(SEED_GRAPH);
    const resnet = await buildForBench(RESNET_GRAPH);
    try {
      const { raw, features } = seedRequests();
      const images = resnetRequests();
      const targets: Target[] = [
        { label: 'features', kind: 'component (TypeScript transformer)', graph: seed, fn: 'features', path: '/transform-input', body: JSON.stringify(raw), targetMs: 150 },
        { label: 'good-model', kind: 'small ONNX model (iris, 4→3)', graph: seed, fn: 'good-model', path: '/predict', body: JSON.stringify(features), targetMs: 250 },
        { label: 'resnet-a', kind: 'large ONNX model (ResNet-50 shape)', graph: resnet, fn: 'resnet-a', path: '/predict', body: images.tensor },
        { label: 'preprocess', kind: 'component (image transformer)', graph: resnet, fn: 'preprocess', path: '/transform-input', body: images.image },
        { label: 'seed graph', kind: 'whole graph (all functions woken at once)', graph: seed, path: '/api/v1.0/predictions', body: JSON.stringify(raw) },
        { label: 'resnet graph', kind: 'whole graph (all functions woken at once)', graph: resnet, path: '/api/v1.0/predictions', body: images.image },
      ];
      const rows: Row[] = [];
      for (const t of targets) {
        const requests: number[] = [];
        const replicaStarts: number[] = [];
        for (let i = 0; i < iterations; i++) {
          const { ms, replicaStartMs } = await coldRequest(t);
          requests.push(ms);
          if (replicaStartMs !== undefined) replicaStarts.push(replicaStartMs);
          ctx.log(`${t.label} #${i + 1}: ${round(ms)} ms request → response (replica start ${replicaStartMs === undefined ? '?' : Math.round(replicaStartMs)} ms)`);
        }
        // Where a start goes, measured on the bundle alone: spawn → listening → ready.
        const listening: number[] = [];
        const ready: number[] = [];
        let bundleBytes: number | undefined;
        let modelBytes: number | undefined;
        if (t.fn !== undefined) {
          const bundle = bundleOf(t.graph, t.fn);
          bundleBytes = (await stat(bundle)).size;
          const model = path.join(path.dirname(bundle), 'model.onnx');
          modelBytes = (await stat(model).catch(() => undefined))?.size;
          for (let i = 0; i < iterations; i++) {
            const fn = await startFunctionProcess(bundle);
            listening.push(fn.listeningMs);
            ready.push(fn.readyMs);
            await fn.stop();
          }
        }
        const row: Row = {
          label: t.label,
          kind: t.kind,
          requestToResponseMs: round(median(requests)),
          replicaStartMs: replicaStarts.length ? round(median(replicaStarts)) : undefined,
          spawnToListeningMs: listening.length ? round(median(listening)) : undefined,
          listeningToReadyMs: ready.length ? round(median(ready.map((r, i) => r - listening[i]!))) : undefined,
          bundleKiB: bundleBytes === undefined ? undefined : round(bundleBytes / 1024),
          modelMB: modelBytes === undefined ? undefined : round(modelBytes / 1e6),
          targetMs: t.targetMs,
          samples: requests.map(round),
        };
        rows.push(row);
      }
      const cell = (v: unknown) => (v === undefined ? '–' : String(v));
      const summary = [
        '| what | kind | request → response (ms) | replica spawn → ready (ms) | of which module load: spawn → listening (ms) | init: listening → ready (ms) | bundle (KiB) | model (MB) | target |',
        '|---|---|---:|---:|---:|---:|---:|---:|---|',
        ...rows.map((r) =>
          `| ${r.label} | ${r.kind} | **${cell(r.requestToResponseMs)}** | ${cell(r.replicaStartMs)} | ${cell(r.spawnToListeningMs)} | ${cell(r.listeningToReadyMs)} | ${cell(r.bundleKiB)} | ${cell(r.modelMB)} | ${r.targetMs === undefined ? '' : `≤ ${r.targetMs} ms ${r.requestToResponseMs <= r.targetMs ? '✔' : '✘'}`} |`,
        ),
        '',
        `- How: for each row and each of ${iterations} iterations, a fresh local engine (every function at zero replicas) in its own process gets one request (a function's own path through the gateway's /_fn/, or the graph's /api/v1.0/predictions) and the time to its response is taken; medians. "Replica spawn → ready" is the engine's own measure. The breakdown columns start the bundle alone (PORT=0 node index.mjs) and time its IPC messages. Model files are in the page cache (just compiled).`,
      ];
      return { iterations, rows, summary };
    } finally {
      await seed.cleanup();
      await resnet.cleanup();
    }
  },
};
