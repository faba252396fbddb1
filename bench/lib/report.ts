/**
 * @module The results files: one `<scenario>.json` per scenario and a README.md assembled from all of them,
 * so that running one scenario refreshes its section and keeps the others.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeMachine, type MachineInfo } from './machine.ts';
import type { ScenarioResult } from './scenario.ts';

export interface ResultFile {
  scenario: string;
  description: string;
  quick: boolean;
  machine: MachineInfo;
  elapsedMs: number;
  result: ScenarioResult;
}

export async function writeResult(dir: string, file: ResultFile): Promise<string> {
  const target = path.join(dir, `${file.scenario}.json`);
  await writeFile(target, JSON.stringify(file, null, 2) + '\n');
  return target;
}

export async function readResults(dir: string): Promise<ResultFile[]> {
  const out: ResultFile[] = [];
  for (const entry of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const parsed = JSON.parse(await readFile(path.join(dir, entry), 'utf8')) as ResultFile;
      if (typeof parsed.scenario === 'string' && Array.isArray(parsed.result?.summary)) out.push(parsed);
    } catch {
      // Not a result file.
    }
  }
  return out;
}

/** The README: machine and date, then each scenario's summary in `order` (others after, by name). */
export function renderReadme(results: ResultFile[], order: readonly string[]): string {
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  const sorted = [...results].sort((a, b) => rank(a.scenario) - rank(b.scenario) || a.scenario.localeCompare(b.scenario));
  const latest = [...results].sort((a, b) => b.machine.date.localeCompare(a.machine.date))[0];
  const lines = ['# Benchmark results', '', 'Written by `npm run bench` (`npm run bench -- <scenario…>` runs some). Do not edit by hand.', ''];
  if (latest) lines.push(`Machine: ${describeMachine(latest.machine)}.`, '');
  for (const r of sorted) {
    lines.push(`## ${r.scenario}`, '', `_${r.description}_`, '');
    const machine = r.machine.cpu === latest?.machine.cpu && r.machine.cores === latest.machine.cores ? '' : ` on ${describeMachine(r.machine)}`;
    lines.push(`Run ${r.machine.date.slice(0, 16).replace('T', ' ')} UTC${machine}, ${Math.round(r.elapsedMs / 1000)} s${r.quick ? ' — **quick run (--quick): too short for figures**' : ''}.`, '');
    lines.push(...r.result.summary, '');
  }
  return lines.join('\n');
}
