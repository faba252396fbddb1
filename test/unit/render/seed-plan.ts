/**
 * A seed-like DeploymentPlan written by hand: a feature-transformer component feeds an epsilon-greedy router
 * (run by the orchestrator) that picks one of two ONNX models, one on a required NVIDIA GPU, one on a preferred
 * one. Each call returns a fresh copy, so a test may change it.
 */
import type { DeploymentPlan, ScalingPolicy } from '../../../runtime/plan/types.ts';
import type { BundleFile } from '../../../compiler/render/index.ts';
import { knativePolicy } from '../../helpers/scaling-policy.ts';

export const KNATIVE_DEFAULT_SCALING: ScalingPolicy = knativePolicy();

const SESSION = { graphOptimizationLevel: 'all', intraOpNumThreads: 0, interOpNumThreads: 0 } as const;

export function seedPlan(): DeploymentPlan {
  const modelScaling: ScalingPolicy = { ...KNATIVE_DEFAULT_SCALING, containerConcurrency: 4, target: 3, maxScale: 8 };
  return {
    apiVersion: 'switchyard.dev/v1alpha1',
    graph: 'seed',
    namespace: 'switchyard',
    root: 'features',
    nodes: {
      features: {
        name: 'features',
        type: 'TRANSFORMER',
        children: ['bandit'],
        implementation: { kind: 'component', module: './components/features.ts', methods: ['transformInput'], parameters: {} },
        function: 'features',
        timeoutMs: 2_000,
      },
      bandit: {
        name: 'bandit',
        type: 'ROUTER',
        children: ['good-model', 'weak-model'],
        implementation: { kind: 'router', router: 'epsilon-greedy', parameters: { epsilon: 0.2 } },
        function: 'orchestrator',
        timeoutMs: 1_000,
      },
      'good-model': {
        name: 'good-model',
        type: 'MODEL',
        children: [],
        implementation: {
          kind: 'onnx',
          modelFile: 'good.onnx',
          inputNames: [],
          outputNames: [],
          classNames: ['setosa', 'versicolor', 'virginica'],
          session: SESSION,
        },
        function: 'good-model',
        timeoutMs: 5_000,
      },
      'weak-model': {
        name: 'weak-model',
        type: 'MODEL',
        children: [],
        implementation: {
          kind: 'onnx',
          modelFile: 'weak.onnx',
          inputNames: [],
          outputNames: [],
          classNames: ['setosa', 'versicolor', 'virginica'],
          session: { graphOptimizationLevel: 'basic', intraOpNumThreads: 1, interOpNumThreads: 0 },
        },
        function: 'weak-model',
        timeoutMs: 2_500,
      },
    },
    edges: [
      ['features', 'bandit'],
      ['bandit', 'good-model'],
      ['bandit', 'weak-model'],
    ],
    functions: {
      features: {
        name: 'features',
        kind: 'component',
        nodes: ['features'],
        device: { kind: 'cpu', affinity: 'required', count: 0 },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        scaling: { ...KNATIVE_DEFAULT_SCALING },
        bundle: 'functions/features/index.mjs',
      },
      'good-model': {
        name: 'good-model',
        kind: 'model',
        nodes: ['good-model'],
        device: { kind: 'nvidia-gpu', affinity: 'required', count: 1 },
        resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        scaling: { ...modelScaling, minScale: 1 },
        bundle: 'functions/good-model/index.mjs',
      },
      'weak-model': {
        name: 'weak-model',
        kind: 'model',
        nodes: ['weak-model'],
        device: { kind: 'nvidia-gpu', affinity: 'preferred', count: 1 },
        resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        scaling: { ...modelScaling, scaleDownDelayMs: 15_000, scaleToZeroGracePeriodMs: 1_500 },
        bundle: 'functions/weak-model/index.mjs',
      },
      orchestrator: {
        name: 'orchestrator',
        kind: 'orchestrator',
        nodes: ['bandit'],
        device: { kind: 'cpu', affinity: 'required', count: 0 },
        resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: {} },
        scaling: { ...KNATIVE_DEFAULT_SCALING, minScale: 1, maxScale: 10, target: 50, targetUtilization: 0.85 },
        bundle: 'functions/orchestrator/index.mjs',
      },
    },
    state: { kind: 'redis', url: 'redis://redis.switchyard.svc.cluster.local:6379' },
    tracing: { samplingRatio: 1 },
    labels: { 'app.kubernetes.io/part-of': 'switchyard', 'switchyard.dev/graph': 'seed' },
  };
}

export const IMAGE = 'ghcr.io/switchyard/runtime:0.1.0';

/** A small bundle per function; the text is what a real esbuild bundle looks like at its start. */
export function seedBundles(): Record<string, BundleFile> {
  const bundles: Record<string, BundleFile> = {};
  for (const fn of ['features', 'good-model', 'weak-model', 'orchestrator']) {
    bundles[fn] = {
      fileName: 'index.mjs',
      contents: `// functions/${fn}/index.mjs (esbuild)\nimport { createRequire } from "node:module";\nconst fn = ${JSON.stringify(fn)};\nexport { fn };\n`,
    };
  }
  return bundles;
}
