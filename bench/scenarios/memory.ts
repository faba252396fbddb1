/**
 * Memory: resident memory (VmRSS) of an idle replica of each function kind, and of the gateway, after each
 * has served traffic; beside it the proportional (PSS) and private (USS) memory (lib/memory-usage.ts). Replicas
 * are measured under the local engine (the engine's frame transport) and, for a component and a small model,
 * serving HTTP on their own as on Kubernetes.
 */
import { buildForBench, bundleOf } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { runLoad } from '../lib/load.ts';
import { startFunctionProcess } from '../lib/function-process.ts';
import { memoryUsage, type MemoryUsage } from '../lib/memory-usage.ts';
import { MALLOC_ENV } from '../../runtime/host/malloc-env.ts';
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
    /** Traffic before the idle spell: 16 clients, this long. */
    const loadMs = ctx.quick ? 300 : 2000;
    await prepareResnet(ctx.log);
    const rows: Array<{ graph: string; after: string; process: string; kind: string; pid: number } & Partial<MemoryUsage>> = [];
    const idle = () => new Promise((resolve) => setTimeout(resolve, idleMs));
    const WARM = 'a few requests';
    const TRAFFIC = `${loadMs / 1000} s at c=16`;
    for (const [graph, file, body] of [
      ['seed', SEED_GRAPH, JSON.stringify(seedRequests().raw)],
      ['resnet', RESNET_GRAPH, resnetRequests().image],
    ] as const) {
      ctx.log(`compiling and starting ${graph}`);
      const built = await buildForBench(file);
      const engine = await startEngineProcess({ buildDir: built.outDir });
      const measure = (after: string) => {
        for (const p of engineProcesses(engine.pid)) {
          const usage = memoryUsage(p.pid);
          rows.push({ graph, after, process: p.label, kind: KIND[p.label] ?? 'function', pid: p.pid, ...usage });
          ctx.log(`${graph} ${p.label} after ${after}: RSS ${usage?.rssMiB} MiB, PSS ${usage?.pssMiB} MiB, USS ${usage?.ussMiB} MiB`);
        }
      };
      try {
        // Enough requests that the bandit has sent work to every model.
        const load = await runLoad({ url: `${engine.url}/api/v1.0/predictions`, body, concurrency: 1, durationMs: 0, maxRequests: 0, warmupRequests: graph === 'seed' ? 40 : 12 });
        if (load.errors > 0) throw new Error(`${graph}: ${load.firstError}`);
        ctx.log(`${graph}: served its warm-up requests; idle for ${idleMs} ms`);
        await idle();
        measure(WARM);
        // Then sustained traffic (the small kinds only: 16 clients would scale the ResNet models out).
        if (graph === 'seed') {
          const busy = await runLoad({ url: `${engine.url}/api/v1.0/predictions`, body, concurrency: 16, durationMs: loadMs });
          if (busy.errors > 0) throw new Error(`${graph}: ${busy.firstError}`);
          ctx.log(`${graph}: served ${busy.requests} more at c=16; idle for ${idleMs} ms`);
          await idle();
          measure(TRAFFIC);
        }
      } finally {
        await engine.stop();
        await built.cleanup();
      }
    }
    // A component and a small model serving HTTP on their own, as a Knative Service runs them.
    {
      const built = await buildForBench(SEED_GRAPH);
      try {
        const { raw, features } = seedRequests();
        for (const [fn, route, body] of [
          ['features', '/transform-input', raw],
          ['good-model', '/predict', features],
        ] as const) {
          const served = await startFunctionProcess(bundleOf(built, fn), { env: { ...MALLOC_ENV, SWITCHYARD_GRAPH: 'seed' } });
          try {
            const busy = await runLoad({ url: `${served.url}${route}`, body: JSON.stringify(body), concurrency: 16, durationMs: loadMs });
            if (busy.errors > 0) throw new Error(`${fn} over HTTP: ${busy.firstError}`);
            ctx.log(`${fn} over HTTP: served ${busy.requests} requests at c=16; idle for ${idleMs} ms`);
            await idle();
            const usage = memoryUsage(served.pid);
            rows.push({ graph: 'seed, over HTTP', after: TRAFFIC, process: fn, kind: KIND[fn] ?? 'function', pid: served.pid, ...usage });
            ctx.log(`${fn} over HTTP: RSS ${usage?.rssMiB} MiB, PSS ${usage?.pssMiB} MiB, USS ${usage?.ussMiB} MiB`);
          } finally {
            await served.stop();
          }
        }
      } finally {
        await built.cleanup();
      }
    }
    // The target is for the small kinds: the gateway is not a replica, and the ResNet models hold their weights.
    const targeted = rows.filter((r) => r.process !== 'gateway' && !r.process.startsWith('resnet-'));
    const within = (value: number | undefined, limit = TARGET_MIB) => value !== undefined && value <= limit;
    const nameOf = (r: (typeof rows)[number]) => `${r.graph} ${r.process} after ${r.after}`;
    const met = (field: 'rssMiB' | 'pssMiB' | 'ussMiB', limit: number) => targeted.filter((r) => within(r[field], limit)).map(nameOf);
    const verdict = (field: 'rssMiB' | 'pssMiB' | 'ussMiB', limit = TARGET_MIB) => {
      const ok = met(field, limit);
      if (ok.length === targeted.length) return `met by all ${targeted.length}`;
      if (ok.length === 0) return 'met by none';
      const missed = targeted.map(nameOf).filter((name) => !ok.includes(name));
      return ok.length <= missed.length ? `met by ${ok.length} of ${targeted.length} (${ok.join('; ')})` : `met by ${ok.length} of ${targeted.length} (not by ${missed.join('; ')})`;
    };
    const summary = [
      `| graph | idle after | process | kind | RSS idle (MiB) | target ≤ ${TARGET_MIB} MiB | PSS (MiB) | USS (MiB) |`,
      '|---|---|---|---|---:|---|---:|---:|',
      ...rows.map((r) => {
        const mark = targeted.includes(r) ? (within(r.rssMiB) ? '✔' : '✘') : '';
        return `| ${r.graph} | ${r.after} | ${r.process} | ${r.kind} | **${r.rssMiB ?? '?'}** | ${mark} | ${r.pssMiB ?? '?'} | ${r.ussMiB ?? '?'} |`;
      }),
      '',
      `- The target (idle replica ≤ ${TARGET_MIB} MiB resident, for the orchestrator, components and small models): by RSS, the target column, ${verdict('rssMiB')}; by PSS ${verdict('pssMiB')}; by USS ${verdict('ussMiB')}. Read as 60 MB = ${round(TARGET_DECIMAL_MIB)} MiB: by RSS ${verdict('rssMiB', TARGET_DECIMAL_MIB)}; by PSS ${verdict('pssMiB', TARGET_DECIMAL_MIB)}; by USS ${verdict('ussMiB', TARGET_DECIMAL_MIB)}.`,
      `- How: each graph runs on a fresh local engine in its own process, serves warm-up requests (every function, both bandit arms) and sits idle ${idleMs / 1000} s ("${WARM}"); the seed graph then serves ${loadMs / 1000} s of traffic from 16 clients and sits idle ${idleMs / 1000} s again ("${TRAFFIC}"); the "over HTTP" rows are the seed graph's component and good model each started on its own (\`PORT=0 node index.mjs\`, glibc's trim threshold as the Knative manifests set it), given ${loadMs / 1000} s of traffic from 16 clients over HTTP, then left idle ${idleMs / 1000} s; then, for the engine (the gateway) and each replica, RSS is VmRSS of /proc/<pid>/status, PSS is Pss of /proc/<pid>/smaps_rollup (each page divided among the processes that map it: the node binary's code is shared by the engine, every replica and any other Node process on the machine, onnxruntime's library by the model replicas) and USS is its Private_Clean + Private_Dirty (pages no other process maps: what one more replica costs, at least). The ResNet models hold their weights (about 100 MB of float32) in memory: the target is for the small kinds.`,
    ];
    return { idleMs, loadMs, rows, summary };
  },
};
