/**
 * Helpers for the router-state integration tests: seed-graph variants written to a temporary folder, feedback
 * that needs no prediction, and reading GET /api/v1.0/routers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { buildGraph } from '../../compiler/cli/build-graph.ts';
import type { PlanOverrides } from '../../compiler/plan/index.ts';
import { startLocalEngine, type LocalEngineOptions } from '../../runtime/engine/local/engine.ts';
import type { DeploymentPlan, StateStoreConfig } from '../../runtime/plan/types.ts';
import { graphClient, type RunningGraph } from '../helpers/graph-engine.ts';

export const SEED = path.resolve('examples/seed/graph.yaml');
export const SEED_REQUEST = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));

/**
 * Writes the seed graph to `dir/graph.yaml` with its component and model paths made absolute, `spec` merged over
 * (e.g. `{orchestrator: {scaling: {minScale: 2}}, state: {store: 'redis', url}}`). Resolves to the file.
 */
export async function writeSeedVariant(dir: string, spec: Record<string, unknown>): Promise<string> {
  const doc = parse(await readFile(SEED, 'utf8'));
  const seedDir = path.dirname(SEED);
  for (const node of Object.values(doc.spec.nodes) as Array<Record<string, any>>) {
    if (typeof node.component === 'string') node.component = path.resolve(seedDir, node.component);
    if (node.onnx) node.onnx.path = path.resolve(seedDir, node.onnx.path);
  }
  Object.assign(doc.spec, spec);
  const file = path.join(dir, 'graph.yaml');
  await writeFile(file, stringify(doc));
  return file;
}

/** Feedback as a client sends it back: the prediction's meta (puid and routing) and a reward. */
export function feedbackFor(puid: string, arm: number, reward: number) {
  return { request: SEED_REQUEST, response: { meta: { puid, routing: { bandit: arm } } }, reward };
}

export interface ArmCounts {
  pulls: number[];
  rewardSum: number[];
}

/** The bandit's pulls and reward sums per arm, in the router's child order, and the `state` section. */
export async function bandit(graph: Pick<RunningGraph, 'get'>): Promise<ArmCounts & { children: string[]; fresh: boolean; state: any }> {
  const { status, body } = await graph.get('/api/v1.0/routers');
  if (status !== 200) throw new Error(`GET /api/v1.0/routers answered ${status}: ${JSON.stringify(body)}`);
  const router = body.routers.find((r: { node: string }) => r.node === 'bandit');
  return {
    children: router.arms.map((a: { child: string }) => a.child),
    pulls: router.arms.map((a: { pulls: number }) => a.pulls),
    rewardSum: router.arms.map((a: { rewardSum: number }) => a.rewardSum),
    fresh: router.fresh,
    state: body.state,
  };
}

/** The pid in a `state.replica` ("host/pid"). */
export function replicaPid(replica: string): number {
  const pid = Number(replica.split('/').pop());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in replica name ${JSON.stringify(replica)}`);
  return pid;
}

export interface CompiledGraph {
  plan: DeploymentPlan;
  outDir: string;
}

/** Compiles `file` once into `outDir`, for several engines to run (compiling is the slow part of starting one). */
export async function compileGraph(file: string, outDir: string, overrides?: PlanOverrides): Promise<CompiledGraph> {
  const built = await buildGraph(file, { outDir, ...(overrides ? { overrides } : {}) });
  if (!built.ok) throw new Error(`graph did not compile:\n${built.report}`);
  return { plan: built.plan, outDir: built.outDir };
}

/** Runs a compiled graph on a new local engine (real function processes) with router state in `state`. */
export async function runEngine(
  compiled: CompiledGraph,
  state: StateStoreConfig,
  options: Partial<LocalEngineOptions> = {},
): Promise<Omit<RunningGraph, 'dir'>> {
  const logs: string[] = [];
  const engine = await startLocalEngine({ plan: compiled.plan, buildDir: compiled.outDir, port: 0, state, log: (line) => logs.push(line), ...options });
  return {
    ...graphClient(engine, compiled.plan, logs),
    stop: () => engine.stop(),
  };
}
