/**
 * Hop overhead: the seed graph's good model called in-process, as one function over HTTP, and through the
 * orchestrated graph (a one-node graph and the whole seed graph), in the same run.
 */
import { EXCHANGES, startSeedVariants } from '../lib/seed-variants.ts';
import { startResnetVariants } from '../lib/resnet-variants.ts';
import { measureVariants, type VariantFigures } from '../lib/variants.ts';
import { ratio, round } from '../lib/stats.ts';
import type { Scenario } from '../lib/scenario.ts';

export const CONCURRENCY = 16;
/** The ResNet model keeps both cores busy with a few requests at once. */
export const RESNET_CONCURRENCY = 4;

/** Settings shared with tracing-cost. */
export function hopSettings(quick: boolean) {
  return quick
    ? { rounds: 1, latencyMs: 300, throughputMs: 300, concurrency: CONCURRENCY }
    : { rounds: 3, latencyMs: 3000, throughputMs: 3000, concurrency: CONCURRENCY };
}

/** Overhead of a graph variant over the direct function call: per extra exchange (hop), and ratios. */
export function overhead(figures: Record<string, VariantFigures>, variant: string) {
  const direct = figures.function!;
  const graph = figures[variant]!;
  const extraHops = EXCHANGES[variant]! - EXCHANGES.function!;
  return {
    extraHops,
    p50OverheadMs: round(graph.p50Ms - direct.p50Ms),
    p50OverheadPerHopMs: round((graph.p50Ms - direct.p50Ms) / extraHops),
    throughputShare: ratio(graph.rps, direct.rps),
  };
}

export function figuresTable(figures: Record<string, VariantFigures>, concurrency: number): string[] {
  const lines = [
    `| variant | p50 c=1 (ms) | p99 c=1 (ms) | req/s c=${concurrency} | p50 c=${concurrency} (ms) | load generator CPU (cores) |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, f] of Object.entries(figures)) {
    lines.push(`| ${name} | ${f.p50Ms} | ${f.p99Ms} | ${f.rps} | ${f.p50AtConcurrencyMs} | ${f.clientCpuCores} |`);
  }
  return lines;
}

/**
 * Throughput × exchanges per request, per variant: on a small machine this comes out about the same for every
 * variant whose exchanges cost alike (frames, or the client's one HTTP exchange), so a graph's throughput share
 * is about 1 / its exchanges, whatever runs in the processes.
 */
export function exchangeBudgetLine(figures: Record<string, VariantFigures>): string {
  const names = Object.keys(EXCHANGES).filter((name) => figures[name] !== undefined);
  const perSecond = (name: string) => Math.round(EXCHANGES[name]! * figures[name]!.rps);
  const alike = names.filter((name) => !name.endsWith('-http')).map(perSecond);
  return (
    `- exchanges per request × req/s = exchanges/s through the machine: ${names.map((name) => `${name} ${EXCHANGES[name]} × ${figures[name]!.rps} = ${perSecond(name)}`).join('; ')}. ` +
    `Where the exchanges are alike (frames, and the client's HTTP), ${Math.min(...alike)} to ${Math.max(...alike)} exchanges/s whichever processes make them: ` +
    `a graph's throughput share is roughly 1 / its exchanges, so 50 % takes a graph of 2 (fused); one function per node needs at least 3 (client → gateway → orchestrator → function), even with the orchestrator calling replicas directly.`
  );
}

/** Where the CPU goes: µs of CPU per request in each serving process, at the fixed concurrency. */
export function cpuLines(figures: Record<string, VariantFigures>): string[] {
  const lines: string[] = [];
  for (const [name, f] of Object.entries(figures)) {
    const parts = Object.entries(f.cpuPerRequestUs);
    if (parts.length === 0) continue;
    const total = parts.reduce((sum, [, us]) => sum + us, 0);
    lines.push(`- CPU per request, ${name}: ${parts.map(([label, us]) => `${label} ${us} µs`).join(', ')} (total ${total} µs)`);
  }
  return lines;
}

export const scenario: Scenario = {
  name: 'hop-overhead',
  description: "the seed graph's good model in-process, as one function over HTTP, and through the orchestrated graph",
  async run(ctx) {
    const settings = hopSettings(ctx.quick);
    // Tracing off: its cost is the tracing-cost scenario's subject.
    const seed = await startSeedVariants({ log: ctx.log, env: { SWITCHYARD_TRACE_SAMPLING: '0' }, warmupMs: ctx.quick ? 200 : 1000 });
    try {
      const figures = await measureVariants(seed.variants, { ...settings, log: ctx.log });
      const modelOnly = overhead(figures, 'graph-model-only');
      const modelOnlyHttp = overhead(figures, 'graph-model-only-http');
      const modelOnlyFused = overhead(figures, 'graph-model-only-fused');
      const seedGraph = overhead(figures, 'graph-seed');
      const summary: string[] = [
        ...figuresTable(figures, settings.concurrency),
        '',
        `- one-node graph: +${modelOnly.p50OverheadMs} ms p50 over the direct call for ${modelOnly.extraHops} extra hops = **${modelOnly.p50OverheadPerHopMs} ms per hop** (target ≤ 0.5); throughput **${Math.round(modelOnly.throughputShare * 100)} %** of the direct call (target ≥ 50 %).`,
        `- the same one-node graph with the engine's own hops on HTTP/1.1 instead of frames: +${modelOnlyHttp.p50OverheadMs} ms p50 (${modelOnlyHttp.p50OverheadPerHopMs} ms per hop); throughput **${Math.round(modelOnlyHttp.throughputShare * 100)} %** of the direct call.`,
        `- the same one-node graph with spec.fusion: auto (the model runs inside the orchestrator: ${modelOnlyFused.extraHops} extra hop): +${modelOnlyFused.p50OverheadMs} ms p50; throughput **${Math.round(modelOnlyFused.throughputShare * 100)} %** of the direct call.`,
        `- seed graph (transformer → bandit → model): +${seedGraph.p50OverheadMs} ms p50 for ${seedGraph.extraHops} extra hops = **${seedGraph.p50OverheadPerHopMs} ms per hop**; throughput **${Math.round(seedGraph.throughputShare * 100)} %** of the direct call.`,
        exchangeBudgetLine(figures),
        `- the direct function is ${ratio(figures.function!.p50Ms, figures['in-process']!.p50Ms)}× the in-process call at p50.`,
        ...cpuLines(figures),
        `- load average (1 min) at the start of each round: ${[...new Set(Object.values(figures).flatMap((f) => f.loadAverages))].join(', ')} (above 0 means other work shared the machine).`,
        `- How: closed-loop load over keep-alive node:http connections from the bench process; latencies timed per request (performance.now, exact percentiles); medians of ${settings.rounds} interleaved rounds of ${settings.latencyMs / 1000} s at c=1 and ${settings.throughputMs / 1000} s at c=${settings.concurrency} (after a 1 s warm-up for graphs, so the autoscaler has sized the pools). The engine runs in its own process; all processes share the machine's cores. Tracing sampling 0 (see tracing-cost).`,
      ];
      await seed.stop();

      // The same comparison with a model that does real work: a ResNet-50-sized network.
      const resnetSettings = { ...settings, concurrency: RESNET_CONCURRENCY };
      const resnet = await startResnetVariants({ log: ctx.log, env: { SWITCHYARD_TRACE_SAMPLING: '0' }, warmupMs: ctx.quick ? 200 : 1000 });
      let resnetFigures: Record<string, VariantFigures>;
      try {
        resnetFigures = await measureVariants(resnet.variants, { ...resnetSettings, log: ctx.log });
      } finally {
        await resnet.stop();
      }
      const direct = resnetFigures['resnet function']!;
      const oneNode = resnetFigures['resnet one-node graph']!;
      const example = resnetFigures['resnet example graph']!;
      summary.push(
        '',
        `With a ResNet-50-sized model (examples/resnet, 100 MB, about 4 GFLOPs per image; the tensor request is 1.1 MB of JSON):`,
        '',
        ...figuresTable(resnetFigures, RESNET_CONCURRENCY),
        '',
        `- one-node graph of the same model: +${round(oneNode.p50Ms - direct.p50Ms)} ms p50 over the direct call; throughput **${Math.round(ratio(oneNode.rps, direct.rps) * 100)} %** of the direct call (target ≥ 50 %).`,
        `- the example graph (image → transformer → bandit → model) answers at ${example.p50Ms} ms p50 and ${example.rps} images/s; the transformer decodes and resizes the image there.`,
        ...cpuLines(resnetFigures),
      );
      return { settings, figures, overhead: { 'graph-model-only': modelOnly, 'graph-model-only-http': modelOnlyHttp, 'graph-model-only-fused': modelOnlyFused, 'graph-seed': seedGraph }, resnetSettings, resnetFigures, summary };
    } finally {
      await seed.stop();
    }
  },
};
