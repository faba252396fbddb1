/** @module Compiles a graph file with the real compiler into a temporary build directory, for a benchmark. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildGraph, type BuildResult } from '../../compiler/cli/build-graph.ts';

export type BuiltGraph = Extract<BuildResult, { ok: true }> & { cleanup(): Promise<void> };

export async function buildForBench(file: string): Promise<BuiltGraph> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
  const built = await buildGraph(file, { outDir: path.join(dir, 'build') });
  if (!built.ok) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${file} did not compile:\n${built.report}`);
  }
  return { ...built, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The bundle file of a compiled function. */
export function bundleOf(built: BuiltGraph, fn: string): string {
  const entry = built.plan.functions[fn];
  if (entry === undefined) throw new Error(`graph "${built.plan.graph}" has no function "${fn}"`);
  return path.join(built.outDir, entry.bundle);
}
