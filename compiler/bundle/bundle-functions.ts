/**
 * @module Bundles each function of a plan into one self-contained ESM file with esbuild.
 *
 * The function's decisions (its plan entry, or the whole plan for the orchestrator) are baked into the bundle
 * through esbuild `define`, so the run time never re-reads the graph. A user component is bundled in through
 * the virtual module `switchyard:component`; the orchestrator gets its fused components and, where a remote node
 * speaks gRPC, the gRPC client the same way. Model files are copied next to their bundle.
 */
import { build, type Plugin } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGrpcRemote, type DeploymentPlan, type FunctionBundleConfig, type FunctionKind, type PlanFunction, type PlanNode } from '../../runtime/plan/types.ts';
import { functionBuildOptions, RUNTIME_IMAGE_PACKAGES } from '../../esbuild.config.mjs';
import { boundaryViolations } from './boundary.ts';
import { BUILTIN_NAMESPACE, builtinsThroughRequire, lazyPushgateway, liteFetchClasses } from './lean-runtime.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const ENTRY: Record<FunctionKind, string> = {
  model: 'functions/model/index.ts',
  component: 'functions/component/index.ts',
  orchestrator: 'functions/orchestrator/index.ts',
};

/** The orchestrator's gRPC clients for `grpc-v2` and `seldon-grpc` remote nodes, bundled in only where the graph has one. */
const GRPC_CLIENT_ENTRY = 'functions/orchestrator/grpc-client.ts';

export interface BundleSources {
  /** node name → absolute path of its .onnx file */
  models: Record<string, string>;
  /** node name → absolute path of its component module */
  components: Record<string, string>;
}

export interface BundledFunction {
  function: string;
  kind: FunctionKind;
  /** Absolute path of the bundle. */
  file: string;
  bytes: number;
  /** Source files inside the bundle (relative to the project root). */
  inputs: string[];
}

export async function bundleFunctions({
  plan,
  sources,
  outDir,
}: {
  plan: DeploymentPlan;
  sources: BundleSources;
  outDir: string;
}): Promise<BundledFunction[]> {
  return Promise.all(Object.values(plan.functions).map((fn) => bundleOne(plan, fn, sources, outDir)));
}

async function bundleOne(plan: DeploymentPlan, fn: PlanFunction, sources: BundleSources, outDir: string): Promise<BundledFunction> {
  const outfile = path.join(outDir, fn.bundle);
  await mkdir(path.dirname(outfile), { recursive: true });
  const nodes = fn.nodes.map((name) => plan.nodes[name]!);
  const define: Record<string, string> =
    fn.kind === 'orchestrator'
      ? { SWITCHYARD_PLAN: JSON.stringify(plan) }
      : { SWITCHYARD_FUNCTION_CONFIG: JSON.stringify({ graph: plan.graph, function: fn, nodes } satisfies FunctionBundleConfig) };

  // What an idle replica holds in memory: compiler/bundle/lean-runtime.ts.
  const plugins: Plugin[] = [builtinsThroughRequire(RUNTIME_IMAGE_PACKAGES), lazyPushgateway(), liteFetchClasses(PROJECT_ROOT)];
  if (fn.kind === 'component') {
    const modulePath = sources.components[nodes[0]!.name];
    if (modulePath === undefined) throw new Error(`function "${fn.name}": no component module was given for node "${nodes[0]!.name}"`);
    plugins.push(virtualModule('switchyard:component', { path: modulePath }));
  }
  if (fn.kind === 'orchestrator') {
    plugins.push(virtualModule('switchyard:fused-components', { contents: fusedComponentsModule(nodes, sources), resolveDir: PROJECT_ROOT }));
    // grpc-js goes into the orchestrator only when a remote node speaks gRPC (about 200 KiB, and memory once loaded).
    const grpcRemote = Object.values(plan.nodes).some((node) => isGrpcRemote(node.implementation));
    plugins.push(virtualModule('switchyard:grpc-client', grpcRemote ? { path: path.join(PROJECT_ROOT, GRPC_CLIENT_ENTRY) } : { contents: 'export default undefined;', resolveDir: PROJECT_ROOT }));
  }

  const result = await build({
    ...(functionBuildOptions as object),
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, ENTRY[fn.kind])],
    outfile,
    define,
    plugins,
    loader: { '.proto': 'text' },
    write: true,
  });
  const inputs = Object.keys(result.metafile?.inputs ?? {}).filter((input) => !input.startsWith(`${BUILTIN_NAMESPACE}:`));
  const violations = boundaryViolations(inputs);
  if (violations.length > 0) {
    throw new Error(`function "${fn.name}" would bundle build-time code: ${violations.join(', ')}. Run-time code must not import compiler/ or build tools.`);
  }
  for (const node of nodes) {
    const impl = node.implementation;
    const source = sources.models[node.name];
    if (impl.kind !== 'onnx' || source === undefined) continue;
    const target = path.join(path.dirname(outfile), impl.modelFile);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  const output = Object.entries(result.metafile?.outputs ?? {})[0];
  return { function: fn.name, kind: fn.kind, file: outfile, bytes: output?.[1].bytes ?? 0, inputs };
}

/** A module the function entry imports by a `switchyard:` name, resolved to a file or to generated code. */
function virtualModule(name: string, target: { path: string } | { contents: string; resolveDir: string }): Plugin {
  const filter = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return {
    name,
    setup(b) {
      if ('path' in target) {
        b.onResolve({ filter }, () => ({ path: target.path }));
        return;
      }
      b.onResolve({ filter }, () => ({ path: name, namespace: 'switchyard' }));
      b.onLoad({ filter, namespace: 'switchyard' }, () => ({ contents: target.contents, resolveDir: target.resolveDir, loader: 'ts' }));
    },
  };
}

/** The components fused into the orchestrator, as `{ <node>: module }` (empty without fusion). */
function fusedComponentsModule(nodes: PlanNode[], sources: BundleSources): string {
  const fused = nodes.filter((node) => node.implementation.kind === 'component');
  const imports = fused.map((node, i) => `import * as c${i} from ${JSON.stringify(sources.components[node.name] ?? '')};`);
  const entries = fused.map((node, i) => `  ${JSON.stringify(node.name)}: c${i},`);
  return [...imports, 'export default {', ...entries, '} as Record<string, Record<string, unknown>>;', ''].join('\n');
}
