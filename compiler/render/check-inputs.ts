/**
 * @module Checks of what `renderManifests` is given besides the plan: the image and one bundle per function,
 * each small enough for a ConfigMap.
 */
import type { DeploymentPlan } from '../../runtime/plan/types.ts';
import { error, type RenderIssue } from './issue.ts';
import type { RenderOptions } from './types.ts';

/** Kubernetes refuses a ConfigMap whose data (keys and values) is above 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** UTF-8 size of a ConfigMap's data as the apiserver counts it: keys plus values. */
export function configMapDataBytes(data: Record<string, string>): number {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) bytes += encoder.encode(key).length + encoder.encode(value).length;
  return bytes;
}

export function checkRenderInputs(plan: DeploymentPlan, options: RenderOptions): RenderIssue[] {
  const issues: RenderIssue[] = [];
  if (options.image.trim() === '') {
    issues.push(
      error(
        'missing_image',
        'options.image',
        options.image,
        'no runtime image given',
        'pass the generic runtime image (Node 24 + onnxruntime-node), e.g. "ghcr.io/you/switchyard-runtime:1.0.0"',
      ),
    );
  }
  for (const name of Object.keys(plan.functions)) {
    const bundle = options.bundles[name];
    const path = `options.bundles.${name}`;
    if (bundle === undefined) {
      issues.push(
        error(
          'missing_bundle',
          path,
          undefined,
          `function "${name}" has no bundle`,
          'bundle every function of the plan (compiler/bundle) before rendering',
        ),
      );
      continue;
    }
    if (!CONFIGMAP_KEY.test(bundle.fileName) || bundle.fileName.startsWith('..')) {
      issues.push(
        error(
          'invalid_bundle_file_name',
          `${path}.fileName`,
          bundle.fileName,
          `"${bundle.fileName}" cannot be a ConfigMap key`,
          'use a plain file name of letters, digits, "-", "_" and ".", e.g. "index.mjs"',
        ),
      );
    }
    const bytes = configMapDataBytes({ [bundle.fileName]: bundle.contents });
    if (bytes > CONFIGMAP_MAX_BYTES) {
      issues.push(
        error(
          'bundle_too_large',
          path,
          bytes,
          `bundle is ${bytes} bytes; a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES}`,
          'minify the bundle, or keep large dependencies external (the runtime image must then provide them)',
        ),
      );
    }
  }
  for (const name of Object.keys(options.bundles)) {
    if (!(name in plan.functions)) {
      issues.push(
        error(
          'unknown_bundle',
          `options.bundles.${name}`,
          name,
          `bundle for "${name}", which is not a function of the plan`,
          `bundle only the plan's functions: ${Object.keys(plan.functions).join(', ')}`,
        ),
      );
    }
  }
  return issues;
}
