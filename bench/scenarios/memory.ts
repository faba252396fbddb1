/**
 * Memory: resident memory (VmRSS) of an idle replica of each function kind, and of the gateway, after each
 * has served a request; beside it the proportional (PSS) and private (USS) memory (lib/memory-usage.ts).
 */
import { buildForBench } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { runLoad } from '../lib/load.ts';
import { memoryUsage, type MemoryUsage } from '../lib/memory-usage.ts';
import { engineProcesses } from '../lib/proc.ts';
import { prepareResnet, RESNET_GRAPH, resnetRequests } from '../lib/resnet-inputs.ts';
import { SEED_GRAPH, seedRequests } from '../lib/seed-variants.ts';
import type { Scenario } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';

const TARGET_MIB = 60;
/** The issue says 60 MB: read as 60 × 10^6 bytes, that is 57.2 MiB. Both readings are reported. */
const TARGET_DECIMAL_MIB = 60e6 / 2 ** 20;

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
    const rows: Array<{ graph: string; process: string; kind: string; pid: number } & Partial<MemoryUsage>> = [];
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
          const usage = memoryUsage(p.pid);
          rows.push({ graph, process: p.label, kind: KIND[p.label] ?? 'function', pid: p.pid, ...usage });
          ctx.log(`${graph} ${p.label}: RSS ${usage?.rssMiB} MiB, PSS ${usage?.pssMiB} MiB, USS ${usage?.ussMiB} MiB`);
        }
      } finally {
        await engine.stop();
        await built.cleanup();
      }
    }
    // The target is for the small kinds: the gateway is not a replica, and the ResNet models hold their weights.
    const targeted = rows.filter((r) => r.process !== 'gateway' && !r.process.startsWith('resnet-'));
    const within = (value: number | undefined, limit = TARGET_MIB) => value !== undefined && value <= limit;
    const met = (field: 'rssMiB' | 'pssMiB' | 'ussMiB', limit: number) => targeted.filter((r) => within(r[field], limit)).map((r) => `${r.graph} ${r.process}`);
    const verdict = (field: 'rssMiB' | 'pssMiB' | 'ussMiB', limit = TARGET_MIB) => {
      const ok = met(field, limit);
      return ok.length === targeted.length ? `met by all ${targeted.length}` : ok.length === 0 ? 'met by none' : `met by ${ok.length} of ${targeted.length} (${ok.join(', ')})`;
    };
    const summary = [
      `| graph | process | kind | RSS idle (MiB) | target ≤ ${TARGET_MIB} MiB | PSS (MiB) | USS (MiB) |`,
      '|---|---|---|---:|---|---:|---:|',
      ...rows.map((r) => {
        const mark = targeted.includes(r) ? (within(r.rssMiB) ? '✔' : '✘') : '';
        return `| ${r.graph} | ${r.process} | ${r.kind} | **${r.rssMiB ?? '?'}** | ${mark} | ${r.pssMiB ?? '?'} | ${r.ussMiB ?? '?'} |`;
      }),
      '',
      `- The target (idle replica ≤ ${TARGET_MIB} MiB resident, for the orchestrator, components and small models): by RSS, the target column, ${verdict('rssMiB')}; by PSS ${verdict('pssMiB')}; by USS ${verdict('ussMiB')}. Read as 60 MB = ${round(TARGET_DECIMAL_MIB)} MiB: by RSS ${verdict('rssMiB', TARGET_DECIMAL_MIB)}; by PSS ${verdict('pssMiB', TARGET_DECIMAL_MIB)}; by USS ${verdict('ussMiB', TARGET_DECIMAL_MIB)}.`,
      `- How: each graph runs on a fresh local engine in its own process, serves warm-up requests (every function, both bandit arms), then sits idle ${idleMs / 1000} s; then, for the engine (the gateway) and each replica, RSS is VmRSS of /proc/<pid>/status, PSS is Pss of /proc/<pid>/smaps_rollup (each page divided among the processes that map it: the node binary's code is shared by the engine, every replica and any other Node process on the machine, onnxruntime's library by the model replicas) and USS is its Private_Clean + Private_Dirty (pages no other process maps: what one more replica costs, at least). The ResNet models hold their weights (about 100 MB of float32) in memory: the target is for the small kinds.`,
    ];
    return { idleMs, rows, summary };
  },
};
