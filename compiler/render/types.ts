/**
 * @module The shapes of the Kubernetes objects that the renderer produces: plain JSON, no client library types,
 * so that the deployer can hand them to any Kubernetes client and `toYaml` can print them.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any Kubernetes object: what `renderManifests` returns and `toYaml` prints. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ConfigMap extends K8sObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  data: Record<string, string>;
}

/** A plain `value`, or `valueFrom` a Secret read when the pod starts (the state store URL: never in the manifest). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/**
 * One entry of a Knative Service's `spec.traffic`. In a rendered canary split the entry with
 * `latestRevision: false` has no `revisionName`: only the cluster knows the previous revision, and
 * `switchyard deploy` fills it in.
 */
export interface TrafficTarget {
  tag?: string;
  latestRevision: boolean;
  revisionName?: string;
  percent: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'Exists';
  values?: string[];
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: {
    nodeSelectorTerms: Array<{ matchExpressions: NodeSelectorRequirement[] }>;
  };
  preferredDuringSchedulingIgnoredDuringExecution?: Array<{
    weight: number;
    preference: { matchExpressions: NodeSelectorRequirement[] };
  }>;
}

export interface Toleration {
  key: string;
  operator: 'Exists';
  effect: 'NoSchedule';
}

export interface Container {
  name: string;
  image: string;
  command: string[];
  args: string[];
  ports: Array<{ containerPort: number; name: string }>;
  env: EnvVar[];
  /** HTTP functions: a GET of their readiness path; the gRPC front end (h2c): a TCP connect to its port. */
  readinessProbe: { httpGet: { path: string } } | { tcpSocket: { port: number } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: {
    runAsNonRoot: true;
    runAsUser: number;
    runAsGroup: number;
    readOnlyRootFilesystem: true;
    allowPrivilegeEscalation: false;
    capabilities: { drop: ['ALL'] };
    seccompProfile: { type: 'RuntimeDefault' };
  };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly: true }>;
}

export type Volume =
  | { name: string; configMap: { name: string; items: Array<{ key: string; path: string }> } }
  | { name: string; persistentVolumeClaim: { claimName: string; readOnly: true } }
  | { name: string; emptyDir: Record<string, never> };

/** Runs to completion before the function's container starts (a model fetched into the pod). */
export interface InitContainer {
  name: string;
  image: string;
  command: string[];
  args: string[];
  env: EnvVar[];
  /** Secrets whose keys become environment variables (the model store's credentials). */
  envFrom?: Array<{ secretRef: { name: string } }>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Container['securityContext'];
  volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
}

export interface KnativeService extends K8sObject {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Service';
  spec: {
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        containerConcurrency: number;
        timeoutSeconds: number;
        /** Only for a model named by URL: its download into the pod. */
        initContainers?: InitContainer[];
        containers: [Container];
        volumes: Volume[];
        affinity?: { nodeAffinity: NodeAffinity };
        tolerations?: Toleration[];
      };
    };
    /** Only for a canary (plan `canary`); absent, Knative sends all traffic to the latest revision. */
    traffic?: TrafficTarget[];
  };
}

/** A function's esbuild bundle: one self-contained ES module. */
export interface BundleFile {
  /** The file name inside the function directory, e.g. `index.mjs` (a ConfigMap key: letters, digits, `-._`). */
  fileName: string;
  contents: string;
}

export interface RenderOptions {
  /** The generic runtime image (Node 24 + onnxruntime-node) that runs every function. */
  image: string;
  /** Each function's bundle, by function name; every function of the plan needs one. */
  bundles: Record<string, BundleFile>;
  /** The cluster's DNS domain, for the orchestrator's in-cluster URLs; default `cluster.local`. */
  clusterDomain?: string;
  /** The gRPC front end's bundle (functions/grpc): required when the plan has `grpc.enabled`. */
  grpcBundle?: BundleFile;
}
