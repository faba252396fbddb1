/**
 * @module The compile pipeline shared by `switchyard compile` and `switchyard up`:
 * graph file → validated spec → plan → one esbuild bundle per function → Knative manifests.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { compileSpecFile, type PlanOverrides, type PlanSources } from '../plan/index.ts';
import { formatIssues, type Issue } from '../validate/index.ts';
import { bundleFunctions, bundleGrpcGateway, linkRuntimePackages, type BundledFunction, type BundledGrpcGateway } from '../bundle/index.ts';
import { GRPC_FUNCTION, grpcEnabled, renderManifests, toYaml } from '../render/index.ts';

export const DEFAULT_IMAGE = 'ghcr.io/switchyard-dev/runtime:0.1.0';

export type BuildResult =
  | {
      ok: true;
      plan: DeploymentPlan;
      outDir: string;
      graphDir: string;
      /** The model files and component modules the functions were built from (what `up --watch` watches). */
      sources: PlanSources;
      functions: BundledFunction[];
      /** The gRPC front end's bundle (functions/grpc/index.mjs), when the plan has grpc.enabled: not a plan function. */
      grpc?: BundledGrpcGateway;
      manifests: string[];
      elapsedMs: number;
    }
  | { ok: false; issues: Issue[]; report: string };

export async function buildGraph(
  file: string,
  options: { outDir: string; overrides?: PlanOverrides; image?: string; /** Progress of long work (model downloads). */ log?: (line: string) => void },
): Promise<BuildResult> {
  const started = performance.now();
  const compiled = await compileSpecFile(file, { ...(options.overrides === undefined ? {} : { overrides: options.overrides }), ...(options.log ? { log: options.log } : {}) });
  if (!compiled.ok) return { ok: false, issues: compiled.issues, report: formatIssues(compiled.issues, path.relative(process.cwd(), file) || file) };
  const { plan, sources } = compiled;
  const outDir = path.resolve(options.outDir);

  await mkdir(outDir, { recursive: true });
  await Promise.all(['functions', 'manifests', 'plan.json'].map((entry) => rm(path.join(outDir, entry), { recursive: true, force: true })));
  await writeFile(path.join(outDir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
  // The gRPC front end is bundled only when it will be rendered (a node named "grpc" is refused by the renderer).
  const withGrpc = grpcEnabled(plan) && !(GRPC_FUNCTION in plan.functions);
  const [functions, grpc] = await Promise.all([bundleFunctions({ plan, sources, outDir }), withGrpc ? bundleGrpcGateway({ plan, outDir }) : undefined]);
  await linkRuntimePackages(outDir);

  const bundles: Record<string, { fileName: string; contents: string }> = {};
  for (const fn of functions) bundles[fn.function] = { fileName: 'index.mjs', contents: await readFile(fn.file, 'utf8') };
  const grpcBundle = grpc === undefined ? {} : { grpcBundle: { fileName: 'index.mjs', contents: await readFile(grpc.file, 'utf8') } };
  const objects = renderManifests(plan, { image: options.image ?? DEFAULT_IMAGE, bundles, ...grpcBundle });
  await mkdir(path.join(outDir, 'manifests'), { recursive: true });
  const manifests: string[] = [];
  for (const object of objects) {
    const name = `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    await writeFile(path.join(outDir, 'manifests', name), toYaml([object]));
    manifests.push(name);
  }
  return { ok: true, plan, outDir, graphDir: compiled.graphDir, sources, functions, ...(grpc === undefined ? {} : { grpc }), manifests: manifests.sort(), elapsedMs: performance.now() - started };
}
