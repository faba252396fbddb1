/**
 * @module A ResNet-50-sized model reached three ways, for hop-overhead: its compiled function called directly
 * (a tensor to /predict), a one-node graph of it (the same tensor through gateway and orchestrator), and the
 * whole example graph (an image through the transformer, the bandit and a model).
 */
import path from 'node:path';
import { buildForBench, bundleOf } from './build.ts';
import { startEngineProcess } from './engine-process.ts';
import { startFunctionProcess } from './function-process.ts';
import { runLoad } from './load.ts';
import { engineProcesses } from './proc.ts';
import { prepareResnet, RESNET_GRAPH, resnetRequests } from './resnet-inputs.ts';
import type { Variant } from './variants.ts';

const RESNET_ONLY_GRAPH = path.resolve(import.meta.dirname, '..', 'graphs', 'resnet-only', 'graph.yaml');

const checkProbabilities = (status: number, body: Buffer) => {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.toString('utf8').slice(0, 300)}`);
  if (!body.toString('utf8', 0, 200).includes('"shape":[1,1000]') && !body.includes('"shape":[1,1000]')) throw new Error('no [1,1000] output');
};

export async function startResnetVariants(options: { env?: Record<string, string>; log: (line: string) => void; warmupMs: number }): Promise<{ variants: Variant[]; stop(): Promise<void> }> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await prepareResnet(options.log);
    options.log('compiling bench/graphs/resnet-only/graph.yaml and examples/resnet/graph.yaml');
    const only = await buildForBench(RESNET_ONLY_GRAPH);
    cleanups.push(() => only.cleanup());
    const full = await buildForBench(RESNET_GRAPH);
    cleanups.push(() => full.cleanup());
    const { image, tensor } = resnetRequests();
    const env = options.env ?? {};
    const fn = await startFunctionProcess(bundleOf(only, 'resnet-a'), { env });
    cleanups.push(() => fn.stop());
    const variants: Variant[] = [
      {
        name: 'resnet function',
        measure: (concurrency, durationMs) => runLoad({ url: `${fn.url}/predict`, body: tensor, concurrency, durationMs, warmupRequests: 3, check: checkProbabilities }),
        processes: () => [{ label: 'resnet-a', pid: fn.pid }],
      },
    ];
    for (const [name, built, body] of [['resnet one-node graph', only, tensor], ['resnet example graph', full, image]] as const) {
      const engine = await startEngineProcess({ buildDir: built.outDir, env });
      cleanups.push(() => engine.stop());
      const url = `${engine.url}/api/v1.0/predictions`;
      await runLoad({ url, body, concurrency: 1, durationMs: 0, warmupRequests: 3, check: checkProbabilities });
      variants.push({
        name,
        warmup: async (concurrency) => void (await runLoad({ url, body, concurrency, durationMs: options.warmupMs, check: checkProbabilities })),
        measure: (concurrency, durationMs) => runLoad({ url, body, concurrency, durationMs, check: checkProbabilities }),
        processes: () => engineProcesses(engine.pid),
      });
    }
    return { variants, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
