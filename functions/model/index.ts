/** @module Entry of an ONNX model function: serves one MODEL node with onnxruntime-node. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionBundleConfig } from '../../runtime/plan/types.ts';
import { createFunctionApp } from '../../runtime/host/index.ts';
import { loadOnnxNode } from '../../runtime/model/index.ts';
import { createLogger } from '../../runtime/log.ts';
import { bodyLimitOption, runFunction } from '../adapter.ts';

declare const SWITCHYARD_FUNCTION_CONFIG: FunctionBundleConfig;

const config = SWITCHYARD_FUNCTION_CONFIG;
// Locally the model sits next to the bundle; on Kubernetes it comes from a volume (SWITCHYARD_MODEL_DIR).
const bundleDir = process.env.SWITCHYARD_MODEL_DIR || path.dirname(fileURLToPath(import.meta.url));
const log = createLogger(config.function.name);
const node = config.nodes[0]!;

await runFunction(
  config.function.name,
  createFunctionApp({
    name: config.function.name,
    // SWITCHYARD_CLAIMS_DIR stands in for the claims a pod mounts (tests).
    load: () => loadOnnxNode(node, config.function, { bundleDir, ...(process.env.SWITCHYARD_CLAIMS_DIR ? { claimsDir: process.env.SWITCHYARD_CLAIMS_DIR } : {}), log: (message) => log.info(message) }),
    log,
    ...bodyLimitOption(),
  }),
);
