/**
 * @module One function as one Knative Service (serving.knative.dev/v1).
 *
 * Every function runs the same generic runtime image (Node 24 + onnxruntime-node); what makes it this function
 * is its bundle, mounted read-only from the `<graph>-<function>-bundle` ConfigMap at FUNCTION_DIR and started
 * with `node FUNCTION_DIR/<fileName>`. Model functions also mount the `<graph>-models` PersistentVolumeClaim
 * read-only at MODELS_DIR and find their ONNX files under `SWITCHYARD_MODEL_DIR` (docs/kubernetes.md); when every
 * model of the function is named by URL, an init container downloads them into an emptyDir there instead
 * (model-fetch-script.ts), and no claim is needed.
 */
import { createHash } from 'node:crypto';
import { MALLOC_ENV } from '../../runtime/host/malloc-env.ts';
import { CLAIMS_DIR } from '../../runtime/model/model-path.ts';
import type { DeploymentPlan, PlanFunction } from '../../runtime/plan/types.ts';
import { autoscalingAnnotations } from './autoscaling.ts';
import { devicePlacement } from './device.ts';
import {
  BUNDLE_HASH_ANNOTATION,
  bundleConfigMapName,
  CONTAINER_NAME,
  CONTAINER_PORT,
  CONTAINER_PORT_NAME,
  FUNCTION_DIR,
  FUNCTION_LABEL,
  functionUrl,
  MODELS_DIR,
  modelsClaimName,
  READINESS_PATH,
  serviceName,
  STABLE_TAG,
  STATE_SECRET_KEY,
  stateSecretName,
  VISIBILITY_LABEL,
  CANARY_TAG,
} from './names.ts';
import { functionTimeoutSeconds } from './timeouts.ts';
import { MODEL_FETCH_SCRIPT } from './model-fetch-script.ts';
import type { BundleFile, Container, EnvVar, InitContainer, KnativeService, RenderOptions, TrafficTarget, Volume } from './types.ts';

/** The uid and gid the container runs as: numeric, so that `runAsNonRoot` holds whatever the image's USER. */
export const RUN_AS_ID = 65532;

/** The `restricted` Pod Security Standard's container fields, as every function's container has them. */
export function restrictedSecurityContext(): Container['securityContext'] {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_ID,
    runAsGroup: RUN_AS_ID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

const BUNDLE_VOLUME = 'bundle';
/** The init container that downloads models named by URL, and the variable that lists them. */
export const FETCH_MODELS_CONTAINER = 'fetch-models';
export const MODEL_SOURCES_ENV = 'SWITCHYARD_MODEL_SOURCES';
const MODELS_VOLUME = 'models';

/** The environment a function reads at start (PORT is set by Knative itself and may not be set here). */
export const ENV = {
  function: 'SWITCHYARD_FUNCTION',
  graph: 'SWITCHYARD_GRAPH',
  /** Orchestrator only: JSON object of function name → in-cluster base URL. */
  endpoints: 'SWITCHYARD_ENDPOINTS',
  /** Model functions only: the directory that holds this function's model files. */
  modelDir: 'SWITCHYARD_MODEL_DIR',
  /** Orchestrator only, when state is in Redis: the state store URL, from the `<graph>-state` Secret. */
  state: 'SWITCHYARD_STATE',
} as const;

/** Whether a function serves an ONNX model named by file or URL, and so needs the models volume. */
export function servesModels(plan: DeploymentPlan, fn: PlanFunction): boolean {
  return fn.nodes.some((node) => {
    const impl = plan.nodes[node]?.implementation;
    return impl?.kind === 'onnx' && impl.claim === undefined;
  });
}

/** The PersistentVolumeClaims a function's `pvc://` models are on, each once, in node order. */
function modelClaims(plan: DeploymentPlan, fn: PlanFunction): string[] {
  const names = fn.nodes.flatMap((node) => {
    const impl = plan.nodes[node]?.implementation;
    return impl?.kind === 'onnx' && impl.claim !== undefined ? [impl.claim.name] : [];
  });
  return [...new Set(names)];
}

/** One model the init container downloads: `s3` when its request is signed (given AWS credentials). */
export interface ModelSource {
  url: string;
  file: string;
  sha256?: string;
  s3?: true;
}

/** What a function's init container downloads, when every model it serves has a URL. */
export function modelSources(plan: DeploymentPlan, fn: PlanFunction): ModelSource[] | undefined {
  const sources: ModelSource[] = [];
  for (const name of fn.nodes) {
    const impl = plan.nodes[name]?.implementation;
    if (impl?.kind !== 'onnx' || impl.claim !== undefined) continue;
    if (impl.source === undefined) return undefined;
    sources.push({ url: impl.source.url, file: impl.modelFile, ...(impl.source.sha256 ? { sha256: impl.source.sha256 } : {}), ...(impl.source.s3 ? { s3: true as const } : {}) });
  }
  return sources.length > 0 ? sources : undefined;
}

/** The Secrets whose keys the init container gets as its environment (onnx.credentialsSecret), each once. */
function credentialSecrets(plan: DeploymentPlan, fn: PlanFunction): string[] {
  const names = fn.nodes.map((name) => plan.nodes[name]?.implementation).flatMap((impl) => (impl?.kind === 'onnx' && impl.source?.secret !== undefined ? [impl.source.secret] : []));
  return [...new Set(names)];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Function name → in-cluster URL of every function the orchestrator calls, keys sorted. */
export function endpoints(plan: DeploymentPlan, clusterDomain: string | undefined): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of Object.keys(plan.functions).sort()) {
    if (plan.functions[name]?.kind === 'orchestrator') continue;
    urls[name] = functionUrl(plan.graph, name, plan.namespace, clusterDomain);
  }
  return urls;
}

function environment(plan: DeploymentPlan, fn: PlanFunction, options: RenderOptions): EnvVar[] {
  const env: EnvVar[] = [
    { name: ENV.function, value: fn.name },
    { name: ENV.graph, value: plan.graph },
  ];
  if (fn.kind === 'orchestrator') {
    env.push({ name: ENV.endpoints, value: JSON.stringify(endpoints(plan, options.clusterDomain)) });
  }
  if (servesModels(plan, fn)) env.push({ name: ENV.modelDir, value: `${MODELS_DIR}/${fn.name}` });
  // Router state in Redis: the URL (it may hold a password) comes from a Secret, not from the manifest.
  if (fn.kind === 'orchestrator' && plan.state.kind === 'redis') {
    env.push({ name: ENV.state, valueFrom: { secretKeyRef: { name: stateSecretName(plan.graph), key: STATE_SECRET_KEY } } });
  }
  // The allocator setting the local engine starts replicas with too.
  for (const [name, value] of Object.entries(MALLOC_ENV)) env.push({ name, value });
  return env;
}

/**
 * A canary's traffic split: the latest revision gets `percent`, the previous ready one the rest. That one's
 * name is not known until deploy time; `switchyard deploy` fills in `revisionName` (docs/kubernetes.md).
 */
export function canaryTraffic(fn: PlanFunction): TrafficTarget[] | undefined {
  if (fn.canary === undefined || fn.canary.percent >= 100) return undefined;
  return [
    { tag: CANARY_TAG, latestRevision: true, percent: fn.canary.percent },
    { tag: STABLE_TAG, latestRevision: false, percent: 100 - fn.canary.percent },
  ];
}

function definedOnly(quantities: { cpu?: string; memory?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (quantities.cpu !== undefined) out['cpu'] = quantities.cpu;
  if (quantities.memory !== undefined) out['memory'] = quantities.memory;
  return out;
}

export function renderKnativeService(
  plan: DeploymentPlan,
  fn: PlanFunction,
  bundle: BundleFile,
  options: RenderOptions,
): KnativeService {
  const models = servesModels(plan, fn);
  const claims = modelClaims(plan, fn);
  const fetched = models ? modelSources(plan, fn) : undefined;
  const secrets = fetched === undefined ? [] : credentialSecrets(plan, fn);
  const placement = devicePlacement(fn.device);
  const requests = definedOnly(fn.resources.requests);
  const limits = { ...definedOnly(fn.resources.limits), ...placement.limits };

  const container: Container = {
    name: CONTAINER_NAME,
    image: options.image,
    command: ['node'],
    args: [`${FUNCTION_DIR}/${bundle.fileName}`],
    ports: [{ containerPort: CONTAINER_PORT, name: CONTAINER_PORT_NAME }],
    env: environment(plan, fn, options),
    readinessProbe: { httpGet: { path: READINESS_PATH } },
    resources: {
      ...(Object.keys(requests).length > 0 ? { requests } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    },
    securityContext: restrictedSecurityContext(),
    volumeMounts: [
      { name: BUNDLE_VOLUME, mountPath: FUNCTION_DIR, readOnly: true },
      ...(models ? [{ name: MODELS_VOLUME, mountPath: MODELS_DIR, readOnly: true as const }] : []),
      // pvc:// models are read where they are (runtime/model/model-path.ts).
      ...claims.map((claim, i) => ({ name: `claim-${i}`, mountPath: `${CLAIMS_DIR}/${claim}`, readOnly: true as const })),
    ],
  };

  const volumes: Volume[] = [
    {
      name: BUNDLE_VOLUME,
      configMap: {
        name: bundleConfigMapName(plan.graph, fn.name),
        items: [{ key: bundle.fileName, path: bundle.fileName }],
      },
    },
    ...(models && fetched === undefined
      ? [{ name: MODELS_VOLUME, persistentVolumeClaim: { claimName: modelsClaimName(plan.graph), readOnly: true as const } }]
      : []),
    ...(fetched !== undefined ? [{ name: MODELS_VOLUME, emptyDir: {} }] : []),
    ...claims.map((claim, i) => ({ name: `claim-${i}`, persistentVolumeClaim: { claimName: claim, readOnly: true as const } })),
  ];
  // Models named by URL: downloaded into the pod before the function starts (KServe's storage initializer).
  const initContainers: InitContainer[] | undefined =
    fetched === undefined
      ? undefined
      : [
          {
            name: FETCH_MODELS_CONTAINER,
            image: options.image,
            command: ['node'],
            args: ['--input-type=module', '-e', MODEL_FETCH_SCRIPT],
            env: [
              { name: ENV.modelDir, value: `${MODELS_DIR}/${fn.name}` },
              { name: MODEL_SOURCES_ENV, value: JSON.stringify(fetched) },
            ],
            ...(secrets.length > 0 ? { envFrom: secrets.map((name) => ({ secretRef: { name } })) } : {}),
            resources: {},
            securityContext: restrictedSecurityContext(),
            volumeMounts: [{ name: MODELS_VOLUME, mountPath: MODELS_DIR, readOnly: false }],
          },
        ];

  const labels = { ...plan.labels, [FUNCTION_LABEL]: fn.name };
  const traffic = canaryTraffic(fn);
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: serviceName(plan.graph, fn.name),
      namespace: plan.namespace,
      // Only the orchestrator is the graph's front door; every other function answers inside the cluster only.
      labels: fn.kind === 'orchestrator' ? labels : { ...labels, [VISIBILITY_LABEL]: 'cluster-local' },
    },
    spec: {
      template: {
        metadata: {
          labels,
          annotations: {
            ...autoscalingAnnotations(fn.scaling),
            // A ConfigMap change alone would not start a new revision; the hash in the template does.
            [BUNDLE_HASH_ANNOTATION]: sha256(bundle.contents),
          },
        },
        spec: {
          containerConcurrency: fn.scaling.containerConcurrency,
          timeoutSeconds: functionTimeoutSeconds(plan, fn),
          ...(initContainers !== undefined ? { initContainers } : {}),
          containers: [container],
          volumes,
          ...(placement.affinity !== undefined ? { affinity: placement.affinity } : {}),
          ...(placement.tolerations !== undefined ? { tolerations: placement.tolerations } : {}),
        },
      },
      ...(traffic !== undefined ? { traffic } : {}),
    },
  };
}
