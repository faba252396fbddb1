/**
 * `npm run demo`: watch the seed graph's bandit learn which model is better.
 *
 * Starts the seed graph on a free port (or uses a running one with --url), sends iris samples through
 * POST /api/v1.0/predictions, sends feedback for each (reward 1 when the predicted class is right, 0 when
 * not) and prints, round by round, how the share of traffic moves to the better model.
 *
 *   npm run demo                       # 300 requests in 10 rounds
 *   npm run demo -- --requests 1000    # more
 *   npm run demo -- --url http://127.0.0.1:8080   # against `npm start`
 */
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { irisSamples, IRIS_CLASS_NAMES } from '../../scripts/models/iris.ts';
import { seededRng } from '../../runtime/time/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    requests: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string', default: '7' },
  },
});
const total = Number(values.requests);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

let url = values.url;
let stop: (() => Promise<void>) | undefined;
let scratch: string | undefined;
if (url === undefined) {
  // Compile and start the seed graph in this process, with a fresh state so the bandit starts from nothing.
  const { buildGraph } = await import('../../compiler/cli/build-graph.ts');
  const { startLocalEngine } = await import('../../runtime/engine/local/engine.ts');
  scratch = await mkdtemp(path.join(os.tmpdir(), 'switchyard-demo-'));
  process.stdout.write('compiling examples/seed/graph.yaml … ');
  const built = await buildGraph(path.join(here, 'graph.yaml'), { outDir: path.join(scratch, 'build') });
  if (!built.ok) {
    console.error(built.report);
    process.exit(1);
  }
  const engine = await startLocalEngine({
    plan: built.plan,
    buildDir: built.outDir,
    port: 0,
    state: { kind: 'file', path: path.join(scratch, 'state.json') },
    log: () => {},
  });
  console.log(`serving at ${engine.url}`);
  url = engine.url;
  stop = engine.stop;
}

const rng = seededRng(Number(values.seed));
const samples = irisSamples();
const order = Array.from({ length: total }, () => samples[Math.floor(rng.next() * samples.length)]!);

interface Outcome { model: string; right: boolean }

async function one(sample: (typeof samples)[number]): Promise<Outcome> {
  const request = { data: { names: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], ndarray: [sample.features] } };
  const answer = await post('/api/v1.0/predictions', request);
  const probabilities = answer.data.ndarray[0] as number[];
  const predicted = probabilities.indexOf(Math.max(...probabilities));
  const right = predicted === sample.label;
  await post('/api/v1.0/feedback', { request, response: answer, reward: right ? 1 : 0 });
  const routed = Object.keys(answer.meta.requestPath).find((node) => node.endsWith('model')) ?? '?';
  return { model: routed, right };
}

async function post(route: string, body: unknown): Promise<any> {
  const response = await fetch(url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${route} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

console.log(`sending ${total} iris samples in ${rounds} rounds; reward 1 when the predicted class (${IRIS_CLASS_NAMES.join(', ')}) is right\n`);
console.log('round  requests  good-model share  weak-model share  accuracy');
const perRound = Math.ceil(total / rounds);
try {
  for (let r = 0; r < rounds; r++) {
    const batch = order.slice(r * perRound, (r + 1) * perRound);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < batch.length; i += concurrency) {
      outcomes.push(...(await Promise.all(batch.slice(i, i + concurrency).map(one))));
    }
    const share = (m: string) => outcomes.filter((o) => o.model === m).length / outcomes.length;
    const accuracy = outcomes.filter((o) => o.right).length / outcomes.length;
    const bar = '█'.repeat(Math.round(share('good-model') * 20)).padEnd(20, '·');
    console.log(
      `${String(r + 1).padStart(5)}  ${String(outcomes.length).padStart(8)}  ${(share('good-model') * 100).toFixed(0).padStart(15)}%  ${(share('weak-model') * 100).toFixed(0).padStart(15)}%  ${(accuracy * 100).toFixed(0).padStart(7)}%  ${bar}`,
    );
  }
  const routers = (await (await fetch(url + '/api/v1.0/routers')).json()) as { routers: Array<{ arms: Array<{ child: string; pulls: number; meanReward: number | null }> }> };
  console.log('\nwhat the bandit learned (GET /api/v1.0/routers):');
  for (const arm of routers.routers[0]!.arms) {
    console.log(`  ${arm.child.padEnd(11)} pulls ${String(arm.pulls).padStart(4)}  mean reward ${arm.meanReward === null ? '-' : arm.meanReward.toFixed(3)}`);
  }
} finally {
  await stop?.();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}
