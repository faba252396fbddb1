/**
 * @module Every default the plan applies, in one place. The scaling numbers are Knative's own defaults
 * (config-autoscaler and config-defaults), so that a graph means the same thing on both engines.
 */
import type {
  BatcherPolicy,
  DeploymentPlan,
  DevicePolicy,
  OnnxSessionOptions,
  ScalingPolicy,
  TracingConfig,
  ORCHESTRATOR_FUNCTION,
} from '../../runtime/plan/types.ts';

export const PLAN_API_VERSION: DeploymentPlan['apiVersion'] = 'switchyard.dev/v1alpha1';
/** Name of the function that walks the graph and runs built-in routers and combiners. */
export const ORCHESTRATOR: typeof ORCHESTRATOR_FUNCTION = 'orchestrator';

// Knative's autoscaling defaults (config-autoscaler).
/** container-concurrency-target-default */
export const DEFAULT_TARGET = 100;
/** container-concurrency-target-percentage (70 %), as a fraction */
export const DEFAULT_TARGET_UTILIZATION = 0.7;
/** stable-window */
export const DEFAULT_STABLE_WINDOW_MS = 60_000;
/** panic-window-percentage */
export const DEFAULT_PANIC_WINDOW_PERCENTAGE = 10;
/** panic-threshold-percentage */
export const DEFAULT_PANIC_THRESHOLD_PERCENTAGE = 200;
/** scale-to-zero-grace-period */
export const DEFAULT_SCALE_TO_ZERO_GRACE_PERIOD_MS = 30_000;
/** scale-down-delay */
export const DEFAULT_SCALE_DOWN_DELAY_MS = 0;
/** min-scale: scale to zero allowed */
export const DEFAULT_MIN_SCALE = 0;
/** max-scale: 0 = unbounded */
export const DEFAULT_MAX_SCALE = 0;
/** initial-scale */
export const DEFAULT_INITIAL_SCALE = 1;
/** containerConcurrency: 0 = unlimited (config-defaults container-concurrency) */
export const DEFAULT_CONTAINER_CONCURRENCY = 0;

export const DEFAULT_SCALING: Readonly<ScalingPolicy> = Object.freeze({
  minScale: DEFAULT_MIN_SCALE,
  maxScale: DEFAULT_MAX_SCALE,
  initialScale: DEFAULT_INITIAL_SCALE,
  target: DEFAULT_TARGET,
  targetUtilization: DEFAULT_TARGET_UTILIZATION,
  containerConcurrency: DEFAULT_CONTAINER_CONCURRENCY,
  scaleToZeroGracePeriodMs: DEFAULT_SCALE_TO_ZERO_GRACE_PERIOD_MS,
  stableWindowMs: DEFAULT_STABLE_WINDOW_MS,
  panicWindowPercentage: DEFAULT_PANIC_WINDOW_PERCENTAGE,
  panicThresholdPercentage: DEFAULT_PANIC_THRESHOLD_PERCENTAGE,
  scaleDownDelayMs: DEFAULT_SCALE_DOWN_DELAY_MS,
});

/** How long the orchestrator waits for a node's function. */
export const DEFAULT_NODE_TIMEOUT_MS = 10_000;

/** Where a function runs when nothing is said. */
export const DEFAULT_DEVICE: Readonly<DevicePolicy> = Object.freeze({ kind: 'cpu', affinity: 'required', count: 0 });
/** A GPU device runs on exactly that device unless `affinity: preferred`. */
export const DEFAULT_GPU_AFFINITY: DevicePolicy['affinity'] = 'required';
export const DEFAULT_GPU_COUNT = 1;

export const DEFAULT_NAMESPACE = 'default';

export const DEFAULT_TRACING: Readonly<TracingConfig> = Object.freeze({ samplingRatio: 1 });

/** The default state file, relative to the graph file's directory. */
export function defaultStatePath(graph: string): string {
  return `.switchyard/state/${graph}.json`;
}

/** onnxruntime's own defaults: full graph optimisation, thread counts chosen by onnxruntime (0). */
export const DEFAULT_ONNX_SESSION: Readonly<OnnxSessionOptions> = Object.freeze({
  graphOptimizationLevel: 'all',
  intraOpNumThreads: 0,
  interOpNumThreads: 0,
});

/** onnx.batcher's defaults: KServe's maxBatchSize; no waiting for fuller batches (they form while the model runs). */
export const DEFAULT_BATCHER: Readonly<BatcherPolicy> = Object.freeze({ maxBatchSize: 32, maxLatencyMs: 0 });

/** Name of a model file next to its function's bundle (the bundler copies it there). */
export const MODEL_FILE_NAME = 'model.onnx';

/** A function's bundle, relative to the compile output directory. */
export function bundlePath(fn: string): string {
  return `functions/${fn}/index.mjs`;
}

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const GRAPH_LABEL = 'switchyard.dev/graph';
