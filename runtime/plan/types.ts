/**
 * @module The deployment plan: what `switchyard compile` decides and every run-time part reads.
 *
 * The compiler (compiler/plan) produces a `DeploymentPlan` from a validated graph spec; it is written to
 * `DIR/plan.json`, baked into each function bundle, rendered into Knative manifests and read by the local
 * engine. Run-time code never re-parses the graph YAML: this file is the whole contract between the two.
 */

export const PLAN_API_VERSION = 'switchyard.dev/v1alpha1' as const;

/** Seldon Core's node types, with Seldon's semantics. */
export type NodeType = 'MODEL' | 'TRANSFORMER' | 'OUTPUT_TRANSFORMER' | 'ROUTER' | 'COMBINER';
export const NODE_TYPES: readonly NodeType[] = ['MODEL', 'TRANSFORMER', 'OUTPUT_TRANSFORMER', 'ROUTER', 'COMBINER'];

export type DeviceKind = 'cpu' | 'nvidia-gpu' | 'intel-gpu' | 'amd-gpu';
export const DEVICE_KINDS: readonly DeviceKind[] = ['cpu', 'nvidia-gpu', 'intel-gpu', 'amd-gpu'];

export interface DevicePolicy {
  kind: DeviceKind;
  /** `required`: never run elsewhere; `preferred`: fall back to CPU when the device is absent. */
  affinity: 'required' | 'preferred';
  /** Number of devices (GPUs) per replica; 0 for cpu. */
  count: number;
}

export interface ResourcePolicy {
  /** Kubernetes quantities, e.g. "500m", "1Gi". */
  requests: { cpu?: string; memory?: string };
  limits: { cpu?: string; memory?: string };
}

/**
 * Knative's autoscaling knobs with Knative's meaning. Durations are milliseconds.
 * `maxScale` 0 means unbounded and `containerConcurrency` 0 means unlimited, as in Knative.
 */
export interface ScalingPolicy {
  minScale: number;
  maxScale: number;
  initialScale: number;
  /** Soft target of concurrent requests per replica (autoscaling.knative.dev/target). */
  target: number;
  /** Fraction 0..1 of `target` the autoscaler aims for (target-utilization-percentage / 100). */
  targetUtilization: number;
  /** Hard limit of concurrent requests per replica; 0 = unlimited. */
  containerConcurrency: number;
  scaleToZeroGracePeriodMs: number;
  stableWindowMs: number;
  /** Panic window as a percentage of the stable window (Knative: 10). */
  panicWindowPercentage: number;
  /** Panic threshold as a percentage of current capacity (Knative: 200). */
  panicThresholdPercentage: number;
  scaleDownDelayMs: number;
}

/** onnxruntime session settings for an ONNX model node. */
export interface OnnxSessionOptions {
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  intraOpNumThreads: number;
  interOpNumThreads: number;
}

/** Requests joined along the model's first dimension and run once (KServe's batcher). */
export interface BatcherPolicy {
  /** Most rows in one run. */
  maxBatchSize: number;
  /** Longest a request waits for others to join; 0: none, batches form while the model runs (batcher.ts). */
  maxLatencyMs: number;
}

export type Implementation =
  | {
      kind: 'onnx';
      /** Path of the model relative to the function's bundle directory (the compiler copies it there). */
      modelFile: string;
      /** Input tensor names to feed; empty = read from the model. */
      inputNames: string[];
      /** Output tensor names to return; empty = read from the model. */
      outputNames: string[];
      /** Human names of the output classes, returned as Seldon `data.names`; empty = t:0, t:1, … */
      classNames: string[];
      session: OnnxSessionOptions;
      /** Concurrent requests run as one batch (absent: each runs alone). */
      batcher?: BatcherPolicy;
      /**
       * Where the model was downloaded from (`onnx.path` was a URL): on Kubernetes, fetched again into the pod.
       * `s3`: an S3 object, whose request the pod signs when it has AWS credentials; `secret`: the Secret that gives
       * them to the pod's init container.
       */
      source?: { url: string; sha256?: string; s3?: true; secret?: string };
      /**
       * A `pvc://<claim>/<path>` model: on that PersistentVolumeClaim, which the pod mounts read-only; read there
       * (runtime/model/model-path.ts), never copied. Kubernetes only.
       */
      claim?: { name: string; path: string };
    }
  | {
      kind: 'component';
      /** The module's path as written in the graph (informational: the module is bundled into the function). */
      module: string;
      /** The methods the module exports, found at compile time. */
      methods: string[];
      /** Free parameters handed to the component's `init`. */
      parameters: Record<string, unknown>;
    }
  | {
      kind: 'router';
      router: BuiltinRouterName;
      parameters: Record<string, unknown>;
    }
  | {
      kind: 'combiner';
      combiner: BuiltinCombinerName;
    }
  | {
      /** A model server that runs elsewhere (a Seldon microservice, a KServe InferenceService, Triton, MLServer): the orchestrator calls it. */
      kind: 'remote';
      /** The server's base URL, e.g. `http://sklearn-iris.models.svc.cluster.local`. */
      url: string;
      /**
       * `seldon`: Seldon's component paths (`/predict`, `/transform-input`, …); `seldon-grpc`: the same over gRPC
       * (`seldon.protos.Model/Predict`, …); `seldon-deployment`: a whole Seldon
       * graph's `/api/v1.0/predictions` (a SeldonDeployment, another Switchyard graph); `v2`: the Open Inference
       * Protocol; `grpc-v2`: the same over gRPC (`ModelInfer`); `kserve-v1`: KServe's V1 `:predict`.
       */
      protocol: RemoteProtocol;
      /** v2, grpc-v2 and kserve-v1: the model name in `/v2/models/<model>/infer`, `ModelInfer` or `/v1/models/<model>:predict`. */
      model: string;
      /** v2 and grpc-v2: the name of the input tensor sent. */
      inputName: string;
      /** v2 and grpc-v2: the output to answer with (asked for by name); absent: the server's first output. */
      outputName?: string;
      /** v2 and grpc-v2: the datatype numbers are sent as. */
      datatype: 'FP32' | 'FP64' | 'INT32' | 'INT64';
    };

export type RemoteProtocol = 'seldon' | 'seldon-grpc' | 'seldon-deployment' | 'v2' | 'grpc-v2' | 'kserve-v1';

/** Whether a node is a remote server called over gRPC (`grpc-v2`, `seldon-grpc`): the orchestrator then needs grpc-js. */
export function isGrpcRemote(implementation: Implementation): boolean {
  return implementation.kind === 'remote' && (implementation.protocol === 'grpc-v2' || implementation.protocol === 'seldon-grpc');
}

export type BuiltinRouterName = 'epsilon-greedy' | 'thompson-sampling' | 'ucb1' | 'weighted-split' | 'switch';
export const BUILTIN_ROUTERS: readonly BuiltinRouterName[] = ['epsilon-greedy', 'thompson-sampling', 'ucb1', 'weighted-split', 'switch'];
export type BuiltinCombinerName = 'mean' | 'concat' | 'majority-vote' | 'kserve-ensemble';
export const BUILTIN_COMBINERS: readonly BuiltinCombinerName[] = ['mean', 'concat', 'majority-vote', 'kserve-ensemble'];

/** The function that runs built-in routers and combiners, and walks the graph. */
export const ORCHESTRATOR_FUNCTION = 'orchestrator' as const;

export interface PlanNode {
  name: string;
  type: NodeType;
  /** Child node names, in order: a router's choice is an index into this list. */
  children: string[];
  implementation: Implementation;
  /**
   * Name of the function that runs this node (`orchestrator` for built-in routers and combiners). A remote node runs
   * on its own server: its `function` is its name, and no function of the plan has it.
   */
  function: string;
  /** Per-call timeout used by the orchestrator when calling this node's function. */
  timeoutMs: number;
  /** Where the orchestrator sends this node's inputs and outputs as CloudEvents (Seldon's `logger`). Absent: nowhere. */
  logger?: PayloadLoggerPolicy;
  /**
   * Nodes that get a copy of each input this node gets, walked in the background (Seldon's shadow): their answers
   * are traced, logged and counted, never returned. Absent: none.
   */
  shadows?: string[];
}

/**
 * Payload logging, as Seldon Core's and KServe's `logger`: each payload is POSTed to `url` as a CloudEvent in HTTP
 * binary mode. `mode` picks which: `request`, `response` or `all` (both, and a graph's feedback).
 */
export interface PayloadLoggerPolicy {
  url: string;
  mode: PayloadLoggerMode;
}

export type PayloadLoggerMode = 'all' | 'request' | 'response';

export type FunctionKind = 'model' | 'component' | 'orchestrator';

export interface PlanFunction {
  name: string;
  kind: FunctionKind;
  /** Graph nodes served by this function. */
  nodes: string[];
  device: DevicePolicy;
  resources: ResourcePolicy;
  scaling: ScalingPolicy;
  /** The bundle, relative to the compile output directory: `functions/<name>/index.mjs`. */
  bundle: string;
  /** On Knative: the share of traffic a new version gets while the previous one keeps the rest. Absent: all of it. */
  canary?: CanaryPolicy;
}

/** A canary rollout: the latest revision gets `percent` (0..100) of the traffic, the previous ready one the rest. */
export interface CanaryPolicy {
  percent: number;
}

export type StateStoreConfig =
  | { kind: 'memory' }
  | { kind: 'file'; path: string }
  | { kind: 'redis'; url: string };

export interface TracingConfig {
  /** Fraction 0..1 of requests traced. */
  samplingRatio: number;
}

export interface DeploymentPlan {
  apiVersion: typeof PLAN_API_VERSION;
  /** The graph's `metadata.name`: also the model name on the Open Inference Protocol. */
  graph: string;
  namespace: string;
  root: string;
  nodes: Record<string, PlanNode>;
  /** [parent, child] pairs, in walk order. */
  edges: Array<[string, string]>;
  functions: Record<string, PlanFunction>;
  state: StateStoreConfig;
  tracing: TracingConfig;
  /** Labels applied to every generated Kubernetes object. */
  labels: Record<string, string>;
  /** `auto`: nodes next to the orchestrator that fit its device and scaling run inside it (one hop less). */
  fusion?: FusionMode;
  /** On Kubernetes, the `<graph>-grpc` front end is rendered when `enabled` (the compiler writes it; absent: not). */
  grpc?: { enabled: boolean };
  /** Where the graph's requests, responses and feedback go as CloudEvents, as clients sent and received them. Absent: nowhere. */
  logger?: PayloadLoggerPolicy;
  /**
   * `graph`: a request after an idle spell wakes every function that may be at zero, at once
   * (runtime/orchestrator/graph-activation.ts); `cascade`: each function starts when a request reaches it. Absent: graph.
   */
  activation?: ActivationMode;
}

export type ActivationMode = 'graph' | 'cascade';

export type FusionMode = 'auto' | 'off';

/** What a function bundle is built with (baked in by the compiler): its function and the nodes it serves. */
export interface FunctionBundleConfig {
  graph: string;
  function: PlanFunction;
  nodes: PlanNode[];
}
