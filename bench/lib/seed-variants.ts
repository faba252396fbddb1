/**
 * @module The seed graph's good model reached four ways, for the hop-overhead and tracing-cost scenarios:
 *
 * - `in-process`: `loadOnnxNode` + `predict` in this process (onnxruntime-node, no HTTP);
 * - `function`: the compiled good-model bundle as its own process (`PORT=… node index.mjs`), POST /predict;
 * - `graph-model-only`: a one-node graph of the same model through the gateway and orchestrator;
 * - `graph-model-only-http`: the same, with the engine's internal hops on HTTP/1.1 instead of its frame transport;
 * - `graph-model-only-fused`: the same graph with `spec.fusion: auto`: the model runs inside the orchestrator;
 * - `graph-seed`: the whole seed graph (features transformer → bandit → model) through the gateway.
 *
 * Exchanges (hops) per request: function 1; graph-model-only 4 (client → gateway → orchestrator → gateway →
 * model); graph-model-only-fused 2 (client → gateway → orchestrator); graph-seed 6 (the transformer's call adds
 * gateway → features and back through the gateway). The client's hop is HTTP; the engine's own are frames
 * (runtime/frames) except in graph-model-only-http.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { loadOnnxNode } from '../../runtime/model/index.ts';
import type { SeldonMessage } from '../../runtime/protocol/seldon-types.ts';
import { transformInput, FEATURE_NAMES } from '../../examples/seed/components/features.ts';
import { buildForBench, bundleOf, type BuiltGraph } from './build.ts';
import { engineVariant } from './engine-variant.ts';
import { startFunctionProcess, type FunctionProcess } from './function-process.ts';
import { runInProcess, runLoad } from './load.ts';
import type { Variant } from './variants.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SEED_GRAPH = path.join(ROOT, 'examples/seed/graph.yaml');
export const MODEL_ONLY_GRAPH = path.join(ROOT, 'bench/graphs/model-only/graph.yaml');
export const MODEL_ONLY_FUSED_GRAPH = path.join(ROOT, 'bench/graphs/model-only-fused/graph.yaml');

/** Request/response exchanges one prediction costs, per variant. */
export const EXCHANGES: Record<string, number> = { function: 1, 'graph-model-only': 4, 'graph-model-only-http': 4, 'graph-model-only-fused': 2, 'graph-seed': 6 };

export interface SeedVariants {
  variants: Variant[];
  /** Pids of the processes that serve the HTTP variants (function; engine hosts). */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** The raw seed request (cm) and the same row standardized, as the model itself takes it. */
export function seedRequests(): { raw: SeldonMessage; features: SeldonMessage } {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'examples/seed/requests/seldon.json'), 'utf8')) as SeldonMessage;
  const rows = transformInput(raw.data!.ndarray, { names: raw.data!.names ?? [], meta: {}, parameters: {} });
  return { raw, features: { data: { names: [...FEATURE_NAMES], ndarray: rows } } };
}

const checkPrediction = (status: number, body: Buffer) => {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.toString('utf8').slice(0, 300)}`);
  const parsed = JSON.parse(body.toString('utf8')) as SeldonMessage;
  if (!Array.isArray(parsed.data?.ndarray) || parsed.data.ndarray.length !== 1) throw new Error(`no prediction in ${body.toString('utf8').slice(0, 300)}`);
};

export interface SeedVariantOptions {
  /** Environment of the served processes (e.g. SWITCHYARD_TRACE_SAMPLING). */
  env?: Record<string, string>;
  log: (line: string) => void;
  /** Which variants to start (default all). */
  which?: string[];
  /** Appended to each variant's name, e.g. ` (sampling 1)`. */
  suffix?: string;
  warmupMs?: number;
}

export async function startSeedVariants(options: SeedVariantOptions): Promise<SeedVariants> {
  const want = (name: string) => options.which === undefined || options.which.includes(name);
  const { raw, features } = seedRequests();
  const cleanups: Array<() => Promise<void>> = [];
  const variants: Variant[] = [];
  const pids: Record<string, number> = {};
  const suffix = options.suffix ?? '';
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    options.log('compiling examples/seed/graph.yaml, bench/graphs/model-only/graph.yaml and bench/graphs/model-only-fused/graph.yaml');
    const seed: BuiltGraph = await buildForBench(SEED_GRAPH);
    cleanups.push(() => seed.cleanup());
    const modelOnly: BuiltGraph = await buildForBench(MODEL_ONLY_GRAPH);
    cleanups.push(() => modelOnly.cleanup());
    const modelOnlyFused: BuiltGraph = await buildForBench(MODEL_ONLY_FUSED_GRAPH);
    cleanups.push(() => modelOnlyFused.cleanup());
    const featuresBody = JSON.stringify(features);
    const rawBody = JSON.stringify(raw);

    if (want('in-process')) {
      const bundle = bundleOf(seed, 'good-model');
      const node = await loadOnnxNode(seed.plan.nodes['good-model']!, seed.plan.functions['good-model']!, { bundleDir: path.dirname(bundle) });
      cleanups.push(async () => node.close?.());
      const predict = node.handlers.predict!;
      variants.push({
        name: `in-process${suffix}`,
        // The same work a function does for the model besides HTTP: decode the message, run, encode the answer.
        measure: (concurrency, durationMs) => runInProcess(() => predict(JSON.parse(featuresBody) as SeldonMessage).then((m) => JSON.stringify(m)), { concurrency, durationMs, warmupRequests: 50 }),
      });
    }
    if (want('function')) {
      const fn: FunctionProcess = await startFunctionProcess(bundleOf(seed, 'good-model'), { env: options.env ?? {} });
      cleanups.push(() => fn.stop());
      pids.function = fn.pid;
      variants.push({
        name: `function${suffix}`,
        measure: (concurrency, durationMs) => runLoad({ url: `${fn.url}/predict`, body: featuresBody, concurrency, durationMs, warmupRequests: 20, check: checkPrediction }),
        processes: () => [{ label: 'good-model', pid: fn.pid }],
      });
    }
    const graphs = [
      ['graph-model-only', modelOnly, featuresBody, 'frames'],
      ['graph-model-only-http', modelOnly, featuresBody, 'http'],
      ['graph-model-only-fused', modelOnlyFused, featuresBody, 'frames'],
      ['graph-seed', seed, rawBody, 'frames'],
    ] as const;
    for (const [name, built, body, internalTransport] of graphs) {
      if (!want(name)) continue;
      const served = await engineVariant(`${name}${suffix}`, { buildDir: built.outDir, env: options.env ?? {}, internalTransport }, { body, warmupMs: options.warmupMs ?? 1000, check: checkPrediction });
      cleanups.push(() => served.engine.stop());
      pids[name] = served.engine.pid;
      variants.push(served.variant);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { variants, pids, stop };
}
