/** @module `switchyard validate graph.yaml`: every problem in a graph file, at once. */
import path from 'node:path';
import { compileSpecFile } from '../../plan/index.ts';
import { formatIssues } from '../../validate/index.ts';
import type { Output } from '../output.ts';

export async function validateCommand(file: string, out: Output): Promise<number> {
  const result = await compileSpecFile(file, { log: (line) => out.info(line) });
  if (!result.ok) {
    out.error(formatIssues(result.issues, path.relative(process.cwd(), file) || file));
    return 1;
  }
  const plan = result.plan;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  out.info(`✔ ${file}: graph "${plan.graph}" is valid (${count(Object.keys(plan.nodes).length, 'node')}, ${count(Object.keys(plan.functions).length, 'function')})`);
  return 0;
}
