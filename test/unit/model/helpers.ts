/** Plan nodes and functions for the model server tests. */
import path from 'node:path';
import type { BatcherPolicy, DevicePolicy, OnnxSessionOptions, PlanFunction, PlanNode } from '../../../runtime/plan/types.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const SEED_MODELS_DIR = path.join(REPO_ROOT, 'examples/seed/models');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test/fixtures/models');
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];

export function onnxNode(
  name: string,
  modelFile: string,
  overrides: { inputNames?: string[]; outputNames?: string[]; classNames?: string[]; session?: Partial<OnnxSessionOptions>; batcher?: BatcherPolicy } = {},
): PlanNode {
  return {
    name,
    type: 'MODEL',
    children: [],
    function: name,
    timeoutMs: 1000,
    implementation: {
      kind: 'onnx',
      modelFile,
      inputNames: overrides.inputNames ?? [],
      outputNames: overrides.outputNames ?? [],
      classNames: overrides.classNames ?? [],
      session: { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, ...overrides.session },
      ...(overrides.batcher ? { batcher: overrides.batcher } : {}),
    },
  };
}

export function modelFunction(name: string, device: Partial<DevicePolicy> = {}): PlanFunction {
  return {
    name,
    kind: 'model',
    nodes: [name],
    device: { kind: 'cpu', affinity: 'required', count: 0, ...device },
    resources: { requests: {}, limits: {} },
    scaling: {
      minScale: 0,
      maxScale: 1,
      initialScale: 1,
      target: 100,
      targetUtilization: 0.7,
      containerConcurrency: 0,
      scaleToZeroGracePeriodMs: 30000,
      stableWindowMs: 60000,
      panicWindowPercentage: 10,
      panicThresholdPercentage: 200,
      scaleDownDelayMs: 0,
    },
    bundle: `functions/${name}/index.mjs`,
  };
}
