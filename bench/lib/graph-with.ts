/**
 * @module A graph file with one setting changed, for a scenario that measures what the setting costs or saves:
 * the file is written to `dir` with its components' and models' paths made absolute, so it compiles from there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export async function graphWith(source: string, dir: string, name: string, change: (graph: any) => void): Promise<string> {
  const graph = parse(await readFile(source, 'utf8'));
  const from = path.dirname(source);
  for (const node of Object.values(graph.spec.nodes) as any[]) {
    if (typeof node.component === 'string') node.component = path.resolve(from, node.component);
    if (node.onnx?.path) node.onnx.path = path.resolve(from, node.onnx.path);
  }
  change(graph);
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, stringify(graph));
  return file;
}
