/**
 * @module The names and paths that a rendered graph uses in the cluster, in one place so that the renderer, the
 * deployer and the docs agree.
 */

/** Where a function's bundle ConfigMap is mounted (read-only) in its container. */
export const FUNCTION_DIR = '/opt/switchyard/function';
/** Where the graph's model PersistentVolumeClaim is mounted (read-only) in model functions. */
export const MODELS_DIR = '/opt/switchyard/models';
/** The port every function listens on; Knative passes it to the container as `$PORT`. */
export const CONTAINER_PORT = 8080;
/** Knative's name for a plain HTTP/1 port. */
export const CONTAINER_PORT_NAME = 'http1';
/** The readiness path: the function answers 200 only once its model or component has initialised. */
export const READINESS_PATH = '/health/status';
/** Name of the one container in each function's pod. */
export const CONTAINER_NAME = 'function';
/** The key of the plan in the `<graph>-plan` ConfigMap. */
export const PLAN_KEY = 'plan.json';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** Label that names the function an object belongs to. */
export const FUNCTION_LABEL = 'switchyard.dev/function';
/** Template annotation with the SHA-256 of the bundle, so that a new bundle rolls out a new Knative revision. */
export const BUNDLE_HASH_ANNOTATION = 'switchyard.dev/bundle-sha256';
/** Knative's label that keeps a Service off the ingress (reachable only inside the cluster). */
export const VISIBILITY_LABEL = 'networking.knative.dev/visibility';

/** The Knative Service (and so the in-cluster host name) of a function: `<graph>-<function>`. */
export function serviceName(graph: string, fn: string): string {
  return `${graph}-${fn}`;
}

/** The ConfigMap that carries a function's bundle: `<graph>-<function>-bundle`. */
export function bundleConfigMapName(graph: string, fn: string): string {
  return `${graph}-${fn}-bundle`;
}

/** The ConfigMap that carries the whole plan: `<graph>-plan`. */
export function planConfigMapName(graph: string): string {
  return `${graph}-plan`;
}

/**
 * The Secret that holds the orchestrator's router state store setting (`SWITCHYARD_STATE`: a redis:// URL) when
 * the plan keeps state in Redis: `<graph>-state`, key STATE_SECRET_KEY. `switchyard deploy` creates it from the
 * graph (or `--state-url`); it is never written to the compile output.
 */
export function stateSecretName(graph: string): string {
  return `${graph}-state`;
}

/** The key of the state store URL in the `<graph>-state` Secret. */
export const STATE_SECRET_KEY = 'state';

/** Traffic tags of a canary split: the new revision, and the previous one (which `switchyard deploy` names). */
export const CANARY_TAG = 'canary';
export const STABLE_TAG = 'stable';

/** The PersistentVolumeClaim, created by the user, that holds the graph's ONNX models: `<graph>-models`. */
export function modelsClaimName(graph: string): string {
  return `${graph}-models`;
}

/** The in-cluster URL of a function's Knative Service, as the orchestrator calls it. */
export function functionUrl(graph: string, fn: string, namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  return `http://${serviceName(graph, fn)}.${namespace}.svc.${clusterDomain}`;
}
