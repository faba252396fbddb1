/**
 * Gateway ceiling: the throughput of the gateway and orchestrator around a function that does nothing (an
 * echo component), next to the echo function called directly and the gateway answering by itself.
 */
import path from 'node:path';
import { buildForBench, bundleOf } from '../lib/build.ts';
import { startEngineProcess } from '../lib/engine-process.ts';
import { startFunctionProcess } from '../lib/function-process.ts';
import { runLoad } from '../lib/load.ts';
import { engineProcesses } from '../lib/proc.ts';
import { ratio } from '../lib/stats.ts';
import { measureVariants } from '../lib/variants.ts';
import type { Scenario } from '../lib/scenario.ts';
import { cpuLines, figuresTable } from './hop-overhead.ts';

const ECHO_GRAPH = path.resolve(import.meta.dirname, '..', 'graphs', 'echo', 'graph.yaml');
const CONCURRENCY = 32;

export const scenario: Scenario = {
  name: 'gateway-ceiling',
  description: 'throughput of gateway + orchestrator around an echo component, next to the echo called directly',
  async run(ctx) {
    const settings = ctx.quick
      ? { rounds: 1, latencyMs: 300, throughputMs: 300, concurrency: CONCURRENCY }
      : { rounds: 3, latencyMs: 2000, throughputMs: 3000, concurrency: CONCURRENCY };
    const built = await buildForBench(ECHO_GRAPH);
    const env = { SWITCHYARD_TRACE_SAMPLING: '0' };
    const fn = await startFunctionProcess(bundleOf(built, 'echo'), { env });
    const engine = await startEngineProcess({ buildDir: built.outDir, env });
    try {
      const body = JSON.stringify({ data: { ndarray: [[1, 2, 3, 4]] } });
      const check = (status: number, answer: Buffer) => {
        if (status !== 200 || !answer.toString('utf8').includes('"ndarray":[[1,2,3,4]]')) throw new Error(`HTTP ${status}: ${answer.toString('utf8').slice(0, 200)}`);
      };
      const graphUrl = `${engine.url}/api/v1.0/predictions`;
      await runLoad({ url: graphUrl, body, concurrency: 1, durationMs: 0, warmupRequests: 1, check });
      const figures = await measureVariants(
        [
          {
            name: 'gateway alone (GET /health/ping)',
            measure: (concurrency, durationMs) => runLoad({ url: `${engine.url}/health/ping`, concurrency, durationMs, warmupRequests: 20 }),
            processes: () => [{ label: 'gateway', pid: engine.pid }],
          },
          {
            name: 'echo function, direct',
            measure: (concurrency, durationMs) => runLoad({ url: `${fn.url}/predict`, body, concurrency, durationMs, warmupRequests: 20, check }),
            processes: () => [{ label: 'echo', pid: fn.pid }],
          },
          {
            name: 'echo graph (gateway → orchestrator → gateway → echo)',
            warmup: async (concurrency) => void (await runLoad({ url: graphUrl, body, concurrency, durationMs: ctx.quick ? 200 : 1000, check })),
            measure: (concurrency, durationMs) => runLoad({ url: graphUrl, body, concurrency, durationMs, check }),
            processes: () => engineProcesses(engine.pid),
          },
        ],
        { ...settings, log: ctx.log },
      );
      const graph = figures['echo graph (gateway → orchestrator → gateway → echo)']!;
      const direct = figures['echo function, direct']!;
      const summary = [
        ...figuresTable(figures, settings.concurrency),
        '',
        `- ceiling of the orchestrated path on this machine: **${graph.rps} predictions/s** at c=${settings.concurrency} (${Math.round(ratio(graph.rps, direct.rps) * 100)} % of the echo function called directly).`,
        ...cpuLines(figures),
        `- How: closed-loop load as in hop-overhead, medians of ${settings.rounds} rounds; tracing sampling 0. The echo node is a user component whose predictRaw returns the request's payload.`,
      ];
      return { settings, figures, summary };
    } finally {
      await engine.stop();
      await fn.stop();
      await built.cleanup();
    }
  },
};
