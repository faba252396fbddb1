/**
 * Fusion: what `spec.fusion: auto` saves on the seed graph. The same graph twice, side by side in one run:
 * one function per node, and fused (the features transformer inside the orchestrator, one network hop and
 * one gateway pass less per request): latency at concurrency 1, throughput at a fixed concurrency, CPU per
 * request, and the cold start of the whole graph from zero.
 */
import http from 'node:http';
import path from 'node:path';
import { buildForBench, type BuiltGraph } from '../lib/build.ts';
import { startEngineProcess, type EngineProcess } from '../lib/engine-process.ts';
import { engineVariant, expectOk } from '../lib/engine-variant.ts';
import { request } from '../lib/load.ts';
import { seedRequests, SEED_GRAPH } from '../lib/seed-variants.ts';
import { measureVariants, type Variant } from '../lib/variants.ts';
import { median, ratio, round } from '../lib/stats.ts';
import { cpuLines, figuresTable, hopSettings } from './hop-overhead.ts';
import type { Scenario } from '../lib/scenario.ts';

const FUSED_GRAPH = path.resolve(import.meta.dirname, '..', 'graphs', 'seed-fused', 'graph.yaml');
const TRACING_OFF = { SWITCHYARD_TRACE_SAMPLING: '0' };


/** One request to a fresh engine (every function at zero): ms to its answer. */
async function coldStart(graph: BuiltGraph, body: string): Promise<number> {
  const engine = await startEngineProcess({ buildDir: graph.outDir, env: TRACING_OFF });
  const agent = new http.Agent({ keepAlive: false });
  try {
    const started = performance.now();
    const answer = await request(agent, new URL(`${engine.url}/api/v1.0/predictions`), { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expectOk(answer.status, answer.body);
    return performance.now() - started;
  } finally {
    agent.destroy();
    await engine.stop();
  }
}

function cpuTotal(figures: { cpuPerRequestUs: Record<string, number> }): number {
  return Math.round(Object.values(figures.cpuPerRequestUs).reduce((sum, us) => sum + us, 0));
}

export const scenario: Scenario = {
  name: 'fusion',
  description: 'the seed graph with one function per node against the same graph with spec.fusion: auto',
  async run(ctx) {
    const settings = hopSettings(ctx.quick);
    const body = JSON.stringify(seedRequests().raw);
    const graphs: Array<[string, BuiltGraph]> = [];
    const engines: EngineProcess[] = [];
    try {
      ctx.log('compiling the seed graph, unfused and fused');
      graphs.push(['seed', await buildForBench(SEED_GRAPH)], ['seed fused', await buildForBench(FUSED_GRAPH)]);
      const variants: Variant[] = [];
      for (const [name, graph] of graphs) {
        const served = await engineVariant(name, { buildDir: graph.outDir, env: TRACING_OFF }, { body, warmupMs: ctx.quick ? 200 : 1000 });
        engines.push(served.engine);
        variants.push(served.variant);
      }
      const figures = await measureVariants(variants, { ...settings, log: ctx.log });
      for (const engine of engines.splice(0)) await engine.stop();

      const coldRuns = ctx.quick ? 1 : 5;
      const cold: Record<string, number> = {};
      for (const [name, graph] of graphs) {
        const times: number[] = [];
        for (let i = 0; i < coldRuns; i++) times.push(await coldStart(graph, body));
        cold[name] = round(median(times));
        ctx.log(`${name}: cold start ${cold[name]} ms (median of ${coldRuns})`);
      }
      const unfused = figures.seed!;
      const fused = figures['seed fused']!;
      const functions = Object.fromEntries(graphs.map(([name, graph]) => [name, Object.keys(graph.plan.functions).sort()]));
      const summary = [
        ...figuresTable(figures, settings.concurrency),
        '',
        `- functions: unfused ${functions.seed!.join(', ')}; fused ${functions['seed fused']!.join(', ')} (features runs inside the orchestrator).`,
        `- with fusion: p50 at c=1 **${unfused.p50Ms} → ${fused.p50Ms} ms**; throughput at c=${settings.concurrency} **${unfused.rps} → ${fused.rps} req/s** (${ratio(fused.rps, unfused.rps)}×); CPU per request across all processes ${cpuTotal(unfused)} → ${cpuTotal(fused)} µs.`,
        `- cold start of the whole graph from zero, median of ${coldRuns}: ${cold.seed} ms unfused, ${cold['seed fused']} ms fused.`,
        ...cpuLines(figures),
        '- How: both graphs served at once by their own engine processes, measured in interleaved rounds as in hop-overhead; tracing sampling 0.',
      ];
      return { settings, functions, figures, coldStartMs: cold, summary };
    } finally {
      for (const engine of engines) await engine.stop().catch(() => undefined);
      for (const [, graph] of graphs) await graph.cleanup();
    }
  },
};
