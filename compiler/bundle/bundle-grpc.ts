/**
 * @module Bundles the gRPC front end (functions/grpc) of a graph: `functions/grpc/index.mjs`, beside the plan's
 * function bundles. It is not a plan function — the local engine serves gRPC from its gateway and never starts
 * it — but the `<graph>-grpc` Knative Service runs it (compiler/render/grpc-service.ts).
 *
 * The Open Inference Protocol .proto goes inside the bundle as text (esbuild's `text` loader), since the
 * container has no file next to the bundle to read.
 */
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { functionBuildOptions } from '../../esbuild.config.mjs';
import { boundaryViolations } from './boundary.ts';
import { GRPC_FUNCTION } from '../render/grpc-service.ts';
import { PROJECT_ROOT } from './bundle-functions.ts';

/** Where its bundle goes, relative to the compile output directory. */
export const GRPC_BUNDLE_PATH = `functions/${GRPC_FUNCTION}/index.mjs`;

const ENTRY = 'functions/grpc/index.ts';

export interface BundledGrpcGateway {
  /** Absolute path of the bundle. */
  file: string;
  bytes: number;
  /** Source files inside the bundle (relative to the project root). */
  inputs: string[];
}

export async function bundleGrpcGateway({ plan, outDir }: { plan: DeploymentPlan; outDir: string }): Promise<BundledGrpcGateway> {
  const outfile = path.join(outDir, GRPC_BUNDLE_PATH);
  await mkdir(path.dirname(outfile), { recursive: true });
  const result = await build({
    ...(functionBuildOptions as object),
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, ENTRY)],
    outfile,
    define: { SWITCHYARD_GRPC_CONFIG: JSON.stringify({ graph: plan.graph, samplingRatio: plan.tracing.samplingRatio }) },
    loader: { '.proto': 'text' },
    write: true,
  });
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  const violations = boundaryViolations(inputs);
  if (violations.length > 0) {
    throw new Error(`the gRPC front end would bundle build-time code: ${violations.join(', ')}. Run-time code must not import compiler/ or build tools.`);
  }
  const output = Object.entries(result.metafile?.outputs ?? {})[0];
  return { file: outfile, bytes: output?.[1].bytes ?? 0, inputs };
}
