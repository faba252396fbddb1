/**
 * Batching: what `onnx.batcher` gives a one-node graph, side by side in one run, for the seed's small iris model
 * and for a ResNet-50-sized one, in both of its modes: waiting up to maxLatency for a fuller batch (KServe's), and
 * maxLatency 0 (batches form only while the model runs).
 *
 * - `iris`, `iris + batcher 1ms`, `iris + batcher 0`: bench/graphs/model-only with one replica that takes every
 *   request (`containerConcurrency: 0`, `maxScale: 1`), so that concurrent requests can meet; up to 16 rows a
 *   run. Measured at c=16.
 * - `resnet`, `resnet + batcher 50ms`, `resnet + batcher 0`: bench/graphs/resnet-only (one replica, 2 onnxruntime
 *   threads); up to 4 images a run. Measured at c=4.
 * Each request is one row (one flower, one image). The variant graphs are those files with the setting added,
 * written at run time; tracing sampling 0, so only batching is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildForBench, type BuiltGraph } from '../lib/build.ts';
import type { EngineProcess } from '../lib/engine-process.ts';
import { engineVariant } from '../lib/engine-variant.ts';
import { graphWith } from '../lib/graph-with.ts';
import { prepareResnet, resnetRequests } from '../lib/resnet-inputs.ts';
import { MODEL_ONLY_GRAPH, seedRequests } from '../lib/seed-variants.ts';
import { measureVariants, type Variant, type VariantFigures } from '../lib/variants.ts';
import { ratio, round } from '../lib/stats.ts';
import { cpuLines, figuresTable, hopSettings, RESNET_CONCURRENCY } from './hop-overhead.ts';
import type { Scenario } from '../lib/scenario.ts';

const RESNET_ONLY_GRAPH = path.resolve(import.meta.dirname, '..', 'graphs', 'resnet-only', 'graph.yaml');
const TRACING_OFF = { SWITCHYARD_TRACE_SAMPLING: '0' };

export const scenario: Scenario = {
  name: 'batching',
  description: 'a one-node graph of the iris model and of a ResNet-50-sized model, without and with onnx.batcher',
  async run(ctx) {
    const settings = hopSettings(ctx.quick);
    const resnetSettings = { ...settings, concurrency: RESNET_CONCURRENCY };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-batching-'));
    const built: BuiltGraph[] = [];
    const engines: EngineProcess[] = [];
    try {
      await prepareResnet(ctx.log);
      ctx.log('compiling the iris and ResNet one-node graphs, without and with onnx.batcher');
      const oneReplica = (g: any) => (g.spec.nodes['good-model'].scaling = { containerConcurrency: 0, maxScale: 1 });
      const irisWith = (maxLatency: string) => (g: any) => {
        oneReplica(g);
        g.spec.nodes['good-model'].onnx.batcher = { maxBatchSize: 16, maxLatency };
      };
      const resnetWith = (maxLatency: string) => (g: any) => (g.spec.nodes['resnet-a'].onnx.batcher = { maxBatchSize: 4, maxLatency });
      const graphs = {
        iris: await graphWith(MODEL_ONLY_GRAPH, dir, 'iris', oneReplica),
        'iris + batcher 1ms': await graphWith(MODEL_ONLY_GRAPH, dir, 'iris-batcher-1ms', irisWith('1ms')),
        'iris + batcher 0': await graphWith(MODEL_ONLY_GRAPH, dir, 'iris-batcher-0', irisWith('0s')),
        resnet: await graphWith(RESNET_ONLY_GRAPH, dir, 'resnet', () => undefined),
        'resnet + batcher 50ms': await graphWith(RESNET_ONLY_GRAPH, dir, 'resnet-batcher-50ms', resnetWith('50ms')),
        'resnet + batcher 0': await graphWith(RESNET_ONLY_GRAPH, dir, 'resnet-batcher-0', resnetWith('0s')),
      };
      const irisBody = JSON.stringify(seedRequests().features);
      const resnetBody = resnetRequests().tensor;
      const served: Record<string, EngineProcess> = {};
      const serve = async (name: keyof typeof graphs, body: string): Promise<Variant> => {
        const graph = await buildForBench(graphs[name]);
        built.push(graph);
        const variant = await engineVariant(name, { buildDir: graph.outDir, env: TRACING_OFF }, { body, warmupMs: ctx.quick ? 200 : 1000 });
        engines.push(variant.engine);
        served[name] = variant.engine;
        return variant.variant;
      };
      /** The batched model function's counters: requests and rows per onnxruntime run, over the whole run. */
      const batches = async (name: string, fn: string) => {
        const text = await (await fetch(`${served[name]!.url}/_fn/${fn}/metrics`)).text();
        const counter = (metric: string) => Number(new RegExp(`^${metric}\\{[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
        const runs = counter('switchyard_model_batch_runs_total');
        return { runs, requestsPerRun: round(counter('switchyard_model_batch_requests_total') / runs) };
      };
      const iris = await measureVariants([await serve('iris', irisBody), await serve('iris + batcher 1ms', irisBody), await serve('iris + batcher 0', irisBody)], { ...settings, log: ctx.log });
      const irisBatches = { '1ms': await batches('iris + batcher 1ms', 'good-model'), '0': await batches('iris + batcher 0', 'good-model') };
      for (const engine of engines.splice(0)) await engine.stop();
      const resnet = await measureVariants([await serve('resnet', resnetBody), await serve('resnet + batcher 50ms', resnetBody), await serve('resnet + batcher 0', resnetBody)], { ...resnetSettings, log: ctx.log });
      const resnetBatches = { '50ms': await batches('resnet + batcher 50ms', 'resnet-a'), '0': await batches('resnet + batcher 0', 'resnet-a') };
      const line = (figures: Record<string, VariantFigures>, base: string, batched: string, concurrency: number, counts: { runs: number; requestsPerRun: number }) => {
        const [b, f] = [figures[base]!, figures[batched]!];
        return [
          `- ${batched}: throughput **${round(ratio(f.rps, b.rps))}×** (${b.rps} → ${f.rps} req/s at c=${concurrency}); p50 at c=${concurrency} ${b.p50AtConcurrencyMs} → ${f.p50AtConcurrencyMs} ms; p50 at c=1 ${b.p50Ms} → ${f.p50Ms} ms.`,
          `  - ${counts.runs} onnxruntime runs, ${counts.requestsPerRun} requests per run on average (all rounds, c=1 included).`,
        ];
      };
      const summary = [
        ...figuresTable(iris, settings.concurrency),
        '',
        ...line(iris, 'iris', 'iris + batcher 1ms', settings.concurrency, irisBatches['1ms']),
        ...line(iris, 'iris', 'iris + batcher 0', settings.concurrency, irisBatches['0']),
        ...cpuLines(iris),
        '',
        ...figuresTable(resnet, resnetSettings.concurrency),
        '',
        ...line(resnet, 'resnet', 'resnet + batcher 50ms', resnetSettings.concurrency, resnetBatches['50ms']),
        ...line(resnet, 'resnet', 'resnet + batcher 0', resnetSettings.concurrency, resnetBatches['0']),
        ...cpuLines(resnet),
        '- How: each graph served by its own engine process, one replica of the model; the two graphs of a model measured in interleaved rounds as in hop-overhead (the iris pair first, then the ResNet pair); each request one row; tracing sampling 0.',
      ];
      return { settings, resnetSettings, iris, resnet, batches: { iris: irisBatches, resnet: resnetBatches }, summary };
    } finally {
      for (const engine of engines) await engine.stop().catch(() => undefined);
      for (const graph of built) await graph.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
