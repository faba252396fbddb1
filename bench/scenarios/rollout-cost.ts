/**
 * Rollout cost: what a shadow and a payload logger add to the seed graph, side by side in one run.
 *
 * - `seed`: the seed graph as it is;
 * - `seed + shadow`: a third model (the weak model again, as "the candidate") shadows the bandit, so every
 *   request is also walked to it in the background;
 * - `seed + payload log`: `spec.logger` (mode all) sends each request and response as a CloudEvent to a sink
 *   that answers 202 in a process of its own.
 * Both variant graphs are the seed graph file with one setting added, written at run time (the sink's port is
 * only known then). Tracing sampling 0 throughout, so only the feature is measured.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildForBench, type BuiltGraph } from '../lib/build.ts';
import { graphWith } from '../lib/graph-with.ts';
import type { EngineProcess } from '../lib/engine-process.ts';
import { engineVariant } from '../lib/engine-variant.ts';
import { seedRequests, SEED_GRAPH } from '../lib/seed-variants.ts';
import { measureVariants, type Variant } from '../lib/variants.ts';
import { ratio, round } from '../lib/stats.ts';
import { cpuLines, figuresTable, hopSettings } from './hop-overhead.ts';
import type { Scenario } from '../lib/scenario.ts';

const TRACING_OFF = { SWITCHYARD_TRACE_SAMPLING: '0' };

/** A CloudEvents sink in its own process: answers every POST 202 and counts them; `count` asks how many. */
const SINK = `
const http = require('node:http');
let events = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { events++; res.writeHead(202).end(); }); });
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', () => process.send({ events }));
`;

interface Sink {
  url: string;
  events(): Promise<number>;
  stop(): void;
}

async function startSink(dir: string): Promise<Sink> {
  const file = path.join(dir, 'sink.cjs');
  await writeFile(file, SINK);
  const child: ChildProcess = fork(file, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the sink exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    events: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { events: number }).events));
        child.send('count');
      }),
    stop: () => child.kill(),
  };
}

async function orchestratorCounter(engineUrl: string, metric: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${engineUrl}/_fn/orchestrator/metrics`)).text();
  const out: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\d+)`, 'gm'))) {
    const outcome = /outcome="([^"]+)"/.exec(match[1]!)?.[1] ?? '?';
    out[outcome] = (out[outcome] ?? 0) + Number(match[2]);
  }
  return out;
}

export const scenario: Scenario = {
  name: 'rollout-cost',
  description: 'the seed graph as it is, with a shadow model, and with a payload logger (spec.logger)',
  async run(ctx) {
    const settings = hopSettings(ctx.quick);
    const body = JSON.stringify(seedRequests().raw);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-rollout-'));
    const built: Array<[string, BuiltGraph]> = [];
    const engines: Record<string, EngineProcess> = {};
    const sink = await startSink(dir);
    try {
      ctx.log('compiling the seed graph, with a shadow, and with a payload logger');
      const shadowed = await graphWith(SEED_GRAPH, dir, 'seed-shadow', (g) => {
        g.spec.nodes.candidate = { ...g.spec.nodes['weak-model'] };
        g.spec.nodes.bandit.shadow = 'candidate';
      });
      const logged = await graphWith(SEED_GRAPH, dir, 'seed-logged', (g) => (g.spec.logger = { url: sink.url, mode: 'all' }));
      built.push(['seed', await buildForBench(SEED_GRAPH)], ['seed + shadow', await buildForBench(shadowed)], ['seed + payload log', await buildForBench(logged)]);
      const variants: Variant[] = [];
      for (const [name, graph] of built) {
        const served = await engineVariant(name, { buildDir: graph.outDir, env: TRACING_OFF }, { body, warmupMs: ctx.quick ? 200 : 1000 });
        engines[name] = served.engine;
        variants.push(served.variant);
      }
      const figures = await measureVariants(variants, { ...settings, log: ctx.log });
      const shadows = await orchestratorCounter(engines['seed + shadow']!.url, 'switchyard_shadow_requests_total');
      const payloadEvents = await orchestratorCounter(engines['seed + payload log']!.url, 'switchyard_payload_log_events_total');
      const received = await sink.events();
      const base = figures.seed!;
      const line = (name: string, what: string) => {
        const f = figures[name]!;
        return `- ${what}: throughput **${Math.round(ratio(f.rps, base.rps) * 100)} %** of the plain graph (${base.rps} → ${f.rps} req/s at c=${settings.concurrency}); p50 at c=1 ${base.p50Ms} → ${f.p50Ms} ms (${round(f.p50Ms - base.p50Ms) >= 0 ? '+' : ''}${round(f.p50Ms - base.p50Ms)} ms).`;
      };
      const summary = [
        ...figuresTable(figures, settings.concurrency),
        '',
        line('seed + shadow', 'a shadow model (every request also walked to a third model, in the background)'),
        `  - shadow walks: ${Object.entries(shadows).map(([o, n]) => `${o} ${n}`).join(', ') || 'none counted'} (a walk is skipped when 64 are already running: none here means the candidate kept up).`,
        line('seed + payload log', 'a payload logger (each request and response POSTed as a CloudEvent)'),
        `  - events: ${Object.entries(payloadEvents).map(([o, n]) => `${o} ${n}`).join(', ') || 'none counted'}; the sink received ${received}.`,
        ...cpuLines(figures),
        '- How: the three graphs served at once by their own engine processes, measured in interleaved rounds as in hop-overhead; the sink runs in its own process; tracing sampling 0.',
      ];
      return { settings, figures, shadows, payloadEvents, sinkReceived: received, summary };
    } finally {
      for (const engine of Object.values(engines)) await engine.stop().catch(() => undefined);
      for (const [, graph] of built) await graph.cleanup();
      sink.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
