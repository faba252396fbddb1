/**
 * Memory: resident memory (VmRSS) of an idle replica of each function kind, and of the gateway, after each
 * has served a request.
 */
import { buildForBench } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { runLoad } from '../lib/load.ts';
import { engineProcesses, rssMiB } from '../lib/proc.ts';
import { prepareResnet, RESNET_GRAPH, resnetRequests } from '../lib/resnet-inputs.ts';
import { SEED_GRAPH, seedRequests } from '../lib/seed-variants.ts';
import type { Scenario } from '../lib/scenario.ts';

const TARGET_MIB = 60;

const KIND: Record<string, string> = {
  gateway: 'gateway (local engine)',
  orchestrator: 'orchestrator',
  features: 'component',
  preprocess: 'component (image decoding)',
  'good-model': 'small ONNX model',
  'weak-model': 'small ONNX model',
  'resnet-a': 'ResNet-50 ONNX model (optimisation all, 2 threads)',
  'resnet-b': 'ResNet-50 ONNX model (optimisation basic, 1 thread)',
};

export const scenario: Scenario = {
  name: 'memory',
  description: 'resident memory of an idle replica of each function kind, and of the gateway',
  async run(ctx) {
    const idleMs = ctx.quick ? 500 : 5000;
    await prepareResnet(ctx.log);
    const rows: Array<{ graph: string; process: string; kind: string; rssMiB: number | undefined; pid: number }> = [];
    for (const [graph, file, body] of [
      ['seed', SEED_GRAPH, JSON.stringify(seedRequests().raw)],
      ['resnet', RESNET_GRAPH, resnetRequests().image],
    ] as const) {
      ctx.log(`compiling and starting ${graph}`);
      const built = await buildForBench(file);
      const engine = await startEngineProcess({ buildDir: built.outDir });
      try {
        // Enough requests that the bandit has sent work to every model.
        const load = await runLoad({ url: `${engine.url}/api/v1.0/predictions`, body, concurrency: 1, durationMs: 0, maxRequests: 0, warmupRequests: graph === 'seed' ? 40 : 12 });
        if (load.errors > 0) throw new Error(`${graph}: ${load.firstError}`);
        ctx.log(`${graph}: served its warm-up requests; idle for ${idleMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, idleMs));
        for (const p of engineProcesses(engine.pid)) {
          const rss = rssMiB(p.pid);
          rows.push({ graph, process: p.label, kind: KIND[p.label] ?? 'function', rssMiB: rss, pid: p.pid });
          ctx.log(`${graph} ${p.label}: ${rss} MiB`);
        }
      } finally {
        await engine.stop();
        await built.cleanup();
      }
    }
    const summary = [
      `| graph | process | kind | RSS idle (MiB) | target ≤ ${TARGET_MIB} MiB |`,
      '|---|---|---|---:|---|',
      ...rows.map((r) => {
        const large = r.process.startsWith('resnet-');
        const verdict = r.process === 'gateway' || large ? '' : r.rssMiB !== undefined && r.rssMiB <= TARGET_MIB ? '✔' : '✘';
        return `| ${r.graph} | ${r.process} | ${r.kind} | **${r.rssMiB ?? '?'}** | ${verdict} |`;
      }),
      '',
      `- How: each graph runs on a fresh local engine in its own process, serves warm-up requests (every function, both bandit arms), then sits idle ${idleMs / 1000} s; VmRSS is read from /proc/<pid>/status of the engine (the gateway) and of each replica. The ResNet models hold their weights (about 100 MB of float32) in memory: the target is for the small kinds.`,
    ];
    return { idleMs, rows, summary };
  },
};
