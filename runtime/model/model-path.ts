/**
 * @module Where a model function finds its ONNX file: next to its bundle (the compiler copies it there; on
 * Kubernetes, in the models directory `SWITCHYARD_MODEL_DIR` names), or, for a `pvc://<claim>/<path>` model, in
 * that PersistentVolumeClaim, which the function's pod mounts read-only at `<CLAIMS_DIR>/<claim>`.
 */
import path from 'node:path';
import type { Implementation } from '../plan/types.ts';

/** Where a pod mounts the claims its `pvc://` models are on (the Knative renderer mounts them here). */
export const CLAIMS_DIR = '/opt/switchyard/claims';

/**
 * The absolute path of the model file. `claimsDir` is where the claims are mounted: CLAIMS_DIR in a pod; the
 * function's entry passes `SWITCHYARD_CLAIMS_DIR` when set (a test standing in for the mounts).
 */
export function modelPathOf(impl: Extract<Implementation, { kind: 'onnx' }>, bundleDir: string, claimsDir = CLAIMS_DIR): string {
  if (impl.claim !== undefined) return path.join(claimsDir, impl.claim.name, impl.claim.path);
  return path.resolve(bundleDir, impl.modelFile);
}
