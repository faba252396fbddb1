/**
 * Remote protocols: the same model server called by a graph's remote node over REST (`protocol: v2`, JSON) and
 * over gRPC (`protocol: grpc-v2`, protobuf), side by side in one run, with a small and a large tensor.
 *
 * - The server: another local engine serving the identity model (test/fixtures/models/identity.onnx, [N,4] →
 *   the same [N,4]), on REST and gRPC, so the answer is as large as the request and the model costs nothing.
 * - `v2` and `grpc-v2`: a one-node graph whose node is that server, each on its own engine. The client talks
 *   Seldon JSON to both; only the hop from orchestrator to server differs.
 * - Small: one row (4 values), at c=16. Large: 37 632 rows (150 528 values, an image's worth; 1 MB of JSON), at c=4.
 * Tracing sampling 0.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildForBench, type BuiltGraph } from '../lib/build.ts';
import { startEngineProcess, type EngineProcess } from '../lib/engine-process.ts';
import { engineVariant } from '../lib/engine-variant.ts';
import { measureVariants, type Variant, type VariantFigures } from '../lib/variants.ts';
import { ratio, round } from '../lib/stats.ts';
import { cpuLines, figuresTable, hopSettings, RESNET_CONCURRENCY } from './hop-overhead.ts';
import type { Scenario } from '../lib/scenario.ts';

const IDENTITY = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'models', 'identity.onnx');
const TRACING_OFF = { SWITCHYARD_TRACE_SAMPLING: '0' };
const LARGE_ROWS = 37_632;

const tensor = (rows: number) => JSON.stringify({ data: { tensor: { shape: [rows, 4], values: Array.from({ length: rows * 4 }, (_, i) => (i % 97) / 8) } } });

export const scenario: Scenario = {
  name: 'remote-protocols',
  description: 'a remote model server called over REST (v2) and over gRPC (grpc-v2), small and large tensors',
  async run(ctx) {
    const settings = hopSettings(ctx.quick);
    const largeSettings = { ...settings, concurrency: RESNET_CONCURRENCY };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-remote-'));
    const built: BuiltGraph[] = [];
    const engines: EngineProcess[] = [];
    try {
      ctx.log('starting the model server (identity model, REST and gRPC) and the two graphs that call it');
      const serverFile = path.join(dir, 'server.yaml');
      await writeFile(serverFile, `apiVersion: switchyard.dev/v1alpha1\nkind: InferenceGraph\nmetadata: { name: echo }\nspec:\n  root: echo\n  nodes:\n    echo:\n      type: MODEL\n      onnx: { path: ${IDENTITY} }\n      scaling: { minScale: 1 }\n`);
      const serverBuild = await buildForBench(serverFile);
      built.push(serverBuild);
      const server = await startEngineProcess({ buildDir: serverBuild.outDir, env: TRACING_OFF, grpc: true });
      engines.push(server);
      const front = async (name: string, remote: string) => {
        const file = path.join(dir, `${name}.yaml`);
        await writeFile(file, `apiVersion: switchyard.dev/v1alpha1\nkind: InferenceGraph\nmetadata: { name: ${name} }\nspec:\n  root: echo\n  nodes:\n    echo:\n      type: MODEL\n      remote: ${remote}\n`);
        const graph = await buildForBench(file);
        built.push(graph);
        return graph;
      };
      const graphs = {
        v2: await front('front-v2', `{ url: "${server.url}", protocol: v2, model: echo, inputName: input }`),
        'grpc-v2': await front('front-grpc', `{ url: "http://${server.grpcAddress}", protocol: grpc-v2, model: echo, inputName: input }`),
      };
      const measure = async (body: string, options: typeof settings) => {
        const variants: Variant[] = [];
        for (const [name, graph] of Object.entries(graphs)) {
          const served = await engineVariant(name, { buildDir: graph.outDir, env: TRACING_OFF }, { body, warmupMs: ctx.quick ? 200 : 1000 });
          engines.push(served.engine);
          variants.push({ ...served.variant, processes: () => [...served.variant.processes!(), { label: 'server', pid: server.pid }] });
        }
        const figures = await measureVariants(variants, { ...options, log: ctx.log });
        for (const engine of engines.splice(1)) await engine.stop();
        return figures;
      };
      const small = await measure(tensor(1), settings);
      const large = await measure(tensor(LARGE_ROWS), largeSettings);
      const line = (figures: Record<string, VariantFigures>, what: string, concurrency: number) => {
        const [rest, grpc] = [figures.v2!, figures['grpc-v2']!];
        return [
          `- ${what}: gRPC **${round(ratio(grpc.rps, rest.rps))}×** the throughput of REST (${rest.rps} → ${grpc.rps} req/s at c=${concurrency}); p50 at c=1 ${rest.p50Ms} → ${grpc.p50Ms} ms.`,
          `  - the calling orchestrator's CPU per request, what calling any server costs: REST ${rest.cpuPerRequestUs.orchestrator} µs, gRPC ${grpc.cpuPerRequestUs.orchestrator} µs; the server's: REST ${rest.cpuPerRequestUs.server} µs, gRPC ${grpc.cpuPerRequestUs.server} µs (Switchyard's gRPC server turns each call into its REST request, raw tensors as the binary extension's bytes; Triton's would not).`,
        ];
      };
      const summary = [
        'One row (4 values):',
        '',
        ...figuresTable(small, settings.concurrency),
        '',
        ...line(small, 'one row', settings.concurrency),
        ...cpuLines(small),
        '',
        `${LARGE_ROWS} rows (150 528 values; 1 MB of JSON from the client):`,
        '',
        ...figuresTable(large, largeSettings.concurrency),
        '',
        ...line(large, `${LARGE_ROWS} rows`, largeSettings.concurrency),
        ...cpuLines(large),
        '- How: the server is a local engine serving the identity model on REST and gRPC; each calling graph runs on its own engine; the two measured in interleaved rounds as in hop-overhead, with the server\'s CPU counted as `server`; tracing sampling 0.',
      ];
      return { settings, largeSettings, small, large, summary };
    } finally {
      for (const engine of engines) await engine.stop().catch(() => undefined);
      for (const graph of built) await graph.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
