/**
 * `npm run bench` — runs the benchmark scenarios on this machine and writes bench/results/<scenario>.json and
 * bench/results/README.md.
 *
 *   npm run bench                          # every scenario in bench/scenarios
 *   npm run bench -- hop-overhead memory   # only these
 *   npm run bench -- --quick               # fewer, shorter iterations (a smoke run, not figures)
 *   npm run bench -- --out DIR --scenarios DIR
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.ts';
import { readResults, renderReadme, writeResult } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';

/** README order; scenarios not listed follow by name. */
const ORDER = ['hop-overhead', 'fusion', 'batching', 'cold-start', 'gateway-ceiling', 'memory', 'tracing-cost', 'rollout-cost', 'remote-protocols', 'burst'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    scenarios: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const out = (line: string) => process.stdout.write(`${line}\n`);
const scenariosDir = path.resolve(values.scenarios ?? path.join(import.meta.dirname, 'scenarios'));
const resultsDir = path.resolve(values.out ?? path.join(import.meta.dirname, 'results'));

const available = (await readdir(scenariosDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort();
if (values.help) {
  out('usage: npm run bench -- [--quick] [--out DIR] [--scenarios DIR] [scenario…]');
  out(`scenarios: ${available.join(', ')}`);
  process.exit(0);
}
const unknown = positionals.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the scenarios are ${available.join(', ')}\n`);
  process.exit(2);
}
const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
const selected = (positionals.length > 0 ? positionals : available).slice().sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

await mkdir(resultsDir, { recursive: true });
let failed = 0;
for (const [i, name] of selected.entries()) {
  const mod = (await import(pathToFileURL(path.join(scenariosDir, `${name}.ts`)).href)) as { scenario?: Scenario };
  const scenario = mod.scenario;
  if (scenario === undefined || typeof scenario.run !== 'function') {
    process.stderr.write(`bench/scenarios/${name}.ts does not export \`scenario = { name, description, run(ctx) }\`\n`);
    failed++;
    continue;
  }
  out(`[${i + 1}/${selected.length}] ${name}: ${scenario.description}${values.quick ? ' (quick)' : ''}`);
  const started = performance.now();
  try {
    const result = await scenario.run({ resultsDir, quick: values.quick, log: (line) => out(`  ${name} | ${line}`) });
    const elapsedMs = Math.round(performance.now() - started);
    const file = await writeResult(resultsDir, { scenario: name, description: scenario.description, quick: values.quick, machine: machineInfo(new Date()), elapsedMs, result });
    for (const line of result.summary) out(`  ${line}`);
    out(`  wrote ${path.relative(process.cwd(), file)} (${(elapsedMs / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    process.stderr.write(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
}
const readme = path.join(resultsDir, 'README.md');
await writeFile(readme, renderReadme(await readResults(resultsDir), ORDER));
out(`wrote ${path.relative(process.cwd(), readme)}`);
process.exit(failed > 0 ? 1 : 0);
