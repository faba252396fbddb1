/**
 * Tracing cost: the hop-overhead measurement of the orchestrated graphs with trace sampling off
 * (SWITCHYARD_TRACE_SAMPLING=0) and on (=1), side by side in the same run.
 */
import { startSeedVariants, type SeedVariants } from '../lib/seed-variants.ts';
import { tracingSupport } from '../lib/tracing-support.ts';
import { measureVariants } from '../lib/variants.ts';
import { ratio, round } from '../lib/stats.ts';
import type { Scenario } from '../lib/scenario.ts';
import { cpuLines, figuresTable, hopSettings } from './hop-overhead.ts';

const GRAPHS = ['graph-model-only', 'graph-seed'];

export const scenario: Scenario = {
  name: 'tracing-cost',
  description: 'the orchestrated graphs with trace sampling off and on (SWITCHYARD_TRACE_SAMPLING 0 and 1)',
  async run(ctx) {
    const support = tracingSupport();
    if (!support.available) ctx.log(`tracing is not in this build (${support.reason}): both runs measure the same thing`);
    const settings = hopSettings(ctx.quick);
    const started: SeedVariants[] = [];
    try {
      for (const sampling of ['0', '1']) {
        started.push(
          await startSeedVariants({
            log: ctx.log,
            which: GRAPHS,
            env: { SWITCHYARD_TRACE_SAMPLING: sampling },
            suffix: ` (sampling ${sampling})`,
            warmupMs: ctx.quick ? 200 : 1000,
          }),
        );
      }
      const figures = await measureVariants(
        started.flatMap((s) => s.variants),
        { ...settings, log: ctx.log },
      );
      const costs = Object.fromEntries(
        GRAPHS.map((graph) => {
          const off = figures[`${graph} (sampling 0)`]!;
          const on = figures[`${graph} (sampling 1)`]!;
          return [graph, { p50CostMs: round(on.p50Ms - off.p50Ms), throughputShare: ratio(on.rps, off.rps) }];
        }),
      );
      const summary = [
        ...(support.available ? [] : [`**Tracing is not in this build** (${support.reason}): both rows measure the same code.`, '']),
        ...figuresTable(figures, settings.concurrency),
        '',
        ...GRAPHS.map((g) => `- ${g}: sampling every request ${costs[g]!.p50CostMs >= 0 ? `costs +${costs[g]!.p50CostMs} ms p50 at c=1` : `measured ${costs[g]!.p50CostMs} ms p50 at c=1 (faster: within this run's noise)`}; throughput with sampling on is **${Math.round(costs[g]!.throughputShare * 100)} %** of sampling off.`),
        ...cpuLines(figures),
        `- How: as hop-overhead (medians of ${settings.rounds} interleaved rounds); each sampling setting runs its own engine, with SWITCHYARD_TRACE_SAMPLING in every function's environment.`,
      ];
      return { settings, tracing: support, figures, costs, summary };
    } finally {
      for (const s of started) await s.stop();
    }
  },
};
