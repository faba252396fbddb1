/**
 * @module What the Kubernetes deployer's tests share: a fake apiserver with a Knative controller stand-in and a
 * kubeconfig for it, the `switchyard` CLI run in-process against it, and the small test graph
 * (test/fixtures/kubernetes/graph.yaml) compiled in variants (another image, a canary, Redis state, a node less).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { buildGraph } from '../../../compiler/cli/build-graph.ts';
import { readManifests } from '../../../compiler/cli/commands/deploy.ts';
import { createProgram } from '../../../compiler/cli/main.ts';
import type { KubeObject } from '../../../runtime/engine/kubernetes/index.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';
import { FakeKnativeController } from './knative-controller.ts';
import { FakeKubeApiServer, type FakeKubeOptions } from './server.ts';

export const FIXTURE_GRAPH = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'kubernetes', 'graph.yaml');

export interface Cluster {
  api: FakeKubeApiServer;
  controller: FakeKnativeController;
  kubeconfig: string;
  dir: string;
  close(): Promise<void>;
}

/** A fake apiserver (Knative controller in `mode`, auto by default) and a kubeconfig file for it in a temp dir. */
export async function startCluster(options: FakeKubeOptions & { mode?: 'auto' | 'manual' } = {}): Promise<Cluster> {
  const api = await FakeKubeApiServer.start(options);
  const controller = new FakeKnativeController(api, { mode: options.mode ?? 'auto' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-kube-'));
  const kubeconfig = await api.writeKubeconfig(dir);
  return {
    api,
    controller,
    kubeconfig,
    dir,
    async close() {
      controller.stop();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `switchyard ARGS` in this process with `env` as its environment. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let code = 0;
  const program = createProgram({ info: (l) => stdout.push(l), error: (l) => stderr.push(l) }, (c) => void (code = c), env);
  program.exitOverride();
  try {
    await program.parseAsync(['node', 'switchyard', ...args]);
  } catch (error) {
    stderr.push(`switchyard: ${(error as Error).message}`);
    code = 1;
  }
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

export interface Variant {
  image?: string;
  /** `spec.defaults.canary.percent` */
  canary?: number;
  /** `spec.state: {store: redis, url}` */
  redisUrl?: string;
  /** Leave out model-b (the router keeps model-a only). */
  withoutModelB?: boolean;
  name?: string;
  /** `spec.grpc.enabled` (the fixture has false) */
  grpc?: boolean;
  /** model-b as a remote node at this URL (a server elsewhere: no function of its own). */
  remoteModelB?: string;
}

/** Writes a variant of the test graph into `dir` (component paths made absolute) and returns its path. */
export async function writeVariant(dir: string, variant: Variant, file = 'graph.yaml'): Promise<string> {
  const graph = parse(await readFile(FIXTURE_GRAPH, 'utf8')) as any;
  const fixtures = path.dirname(FIXTURE_GRAPH);
  for (const node of Object.values(graph.spec.nodes) as any[]) {
    if (typeof node.component === 'string') node.component = path.resolve(fixtures, node.component);
  }
  if (variant.name !== undefined) graph.metadata.name = variant.name;
  if (variant.canary !== undefined) graph.spec.defaults = { canary: { percent: variant.canary } };
  if (variant.grpc !== undefined) graph.spec.grpc = { enabled: variant.grpc };
  if (variant.redisUrl !== undefined) graph.spec.state = { store: 'redis', url: variant.redisUrl };
  if (variant.remoteModelB !== undefined) graph.spec.nodes['model-b'] = { type: 'MODEL', remote: { url: variant.remoteModelB, protocol: 'v2', model: 'iris' } };
  if (variant.withoutModelB) {
    delete graph.spec.nodes['model-b'];
    graph.spec.nodes.split.children = ['model-a'];
    graph.spec.nodes.split.parameters = { weights: [1] };
  }
  const target = path.join(dir, file);
  await writeFile(target, stringify(graph));
  return target;
}

const compiled = new Map<string, Promise<{ plan: DeploymentPlan; objects: KubeObject[] }>>();

/**
 * Compiles a variant as `switchyard deploy` does, and returns its plan and the objects it would apply (each
 * variant compiled once per directory; callers get their own copy of the objects).
 */
export async function compileVariant(dir: string, variant: Variant): Promise<{ plan: DeploymentPlan; objects: KubeObject[] }> {
  const key = `${dir}\u0000${JSON.stringify(variant)}`;
  if (!compiled.has(key)) compiled.set(key, compileOnce(dir, variant));
  return structuredClone(await compiled.get(key)!);
}

async function compileOnce(dir: string, variant: Variant): Promise<{ plan: DeploymentPlan; objects: KubeObject[] }> {
  const key = JSON.stringify(variant).replace(/[^a-z0-9]+/gi, '-');
  // Only the image differs: compile the fixture itself (paths as written there), as `switchyard deploy` would.
  const { image, ...structural } = variant;
  const file = Object.keys(structural).length === 0 ? FIXTURE_GRAPH : await writeVariant(dir, variant, `graph-${key}.yaml`);
  const built = await buildGraph(file, { outDir: path.join(dir, `out-${key}`), ...(image ? { image } : {}) });
  if (!built.ok) throw new Error(built.report);
  return { plan: built.plan, objects: await readManifests(built.outDir, built.manifests) };
}
