/**
 * @module What can go wrong talking to a cluster, as one error type with a stable `code`, a message that says
 * what happened and a `hint` that says what to do; and the mapping from the apiserver's answers (Status objects,
 * network failures) to it.
 */

export type KubeErrorCode =
  | 'no_kubeconfig'
  | 'bad_kubeconfig'
  | 'unknown_context'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'knative_missing'
  | 'namespace_missing'
  | 'manifest_rejected'
  | 'conflict'
  | 'not_ready'
  | 'timeout'
  | 'not_found'
  | 'api_error';

export class KubeDeployError extends Error {
  readonly code: KubeErrorCode;
  readonly hint: string | undefined;
  constructor(code: KubeErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'KubeDeployError';
    this.code = code;
    this.hint = hint;
  }
}

/** The error as the CLI prints it: the message, then `→ hint` on its own line. */
export function formatKubeError(error: KubeDeployError): string {
  return error.hint === undefined ? `✖ ${error.message}` : `✖ ${error.message}\n  → ${error.hint}`;
}

export const RBAC_FILE = 'manifests/base/deployer-rbac.yaml';

/** What the request that failed was doing, for the message. */
export interface RequestContext {
  /** RBAC verb: get, list, watch, patch, create, delete. */
  verb: string;
  /** `services.serving.knative.dev`, `configmaps`, … */
  resource: string;
  namespace?: string;
  name?: string;
  /** `Service switchyard/seed-orchestrator`, for manifest errors. */
  object?: string;
}

export interface ClusterContext {
  server: string;
  context: string;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ field?: string; message?: string }> };
}

/** The HTTP status and body of a client-node `ApiException` (duck-typed: `code` and `body`). */
function apiFailure(error: unknown): { code: number; body: StatusBody | string | undefined } | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  // ApiException has `code`; a failed watch request has `statusCode` and no body.
  const code = (error as { code?: unknown }).code ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof code !== 'number') return undefined;
  let body = (error as { body?: unknown }).body as StatusBody | string | undefined;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as StatusBody;
    } catch {
      // A plain-text body (e.g. "404 page not found") stays text.
    }
  }
  return { code, body };
}

/** The low-level cause of a network failure: ECONNREFUSED, ENOTFOUND, a TLS error, … */
function networkCause(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let at: unknown = error; at !== null && typeof at === 'object' && !seen.has(at); at = (at as { cause?: unknown }).cause) {
    seen.add(at);
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return `${code}${(at as Error).message ? ` (${(at as Error).message})` : ''}`;
  }
  if (error instanceof Error && /fetch failed|socket hang up|ECONN|timed? ?out|certificate|self.signed|TLS/i.test(error.message)) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return error.message;
  return undefined;
}

function where(request: RequestContext): string {
  return request.namespace === undefined || request.namespace === '' ? '' : ` in namespace "${request.namespace}"`;
}

/** Turns a failed request into a `KubeDeployError` that says what to do. Already-mapped errors pass through. */
export function explainApiError(error: unknown, request: RequestContext, cluster: ClusterContext): KubeDeployError {
  if (error instanceof KubeDeployError) return error;
  const failure = apiFailure(error);
  if (failure === undefined) {
    const cause = networkCause(error);
    if (cause !== undefined) return unreachable(cluster, cause);
    return new KubeDeployError('api_error', `${request.verb} ${request.resource}${where(request)} failed: ${(error as Error)?.message ?? String(error)}`);
  }
  const status = typeof failure.body === 'object' ? failure.body : undefined;
  const serverMessage = status?.message ?? (typeof failure.body === 'string' ? failure.body.trim() : `HTTP ${failure.code}`);
  const target = request.object ?? `${request.resource}${request.name === undefined ? '' : ` "${request.name}"`}`;
  switch (failure.code) {
    case 401:
      return new KubeDeployError(
        'unauthorized',
        `the cluster at ${cluster.server} refused the credentials of context "${cluster.context}" (401 Unauthorized)`,
        'log in again or refresh the token in your kubeconfig; `kubectl get --raw /api` must work with the same context',
      );
    case 403: {
      // The apiserver names the verb it checked, which may not be the request's (an apply that creates checks `create`).
      const checked = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"/.exec(serverMessage);
      const action = checked === null ? `${request.verb} ${request.resource}` : `${checked[1]} ${checked[3] === '' ? checked[2] : `${checked[2]}.${checked[3]}`}`;
      return new KubeDeployError(
        'forbidden',
        `not allowed to ${action}${where(request)}: ${serverMessage}`,
        `grant the deployer the permissions in ${RBAC_FILE} (kubectl apply -k manifests/base; for another namespace, overlay it with kustomize's namespace:)`,
      );
    }
    case 404:
      if (typeof failure.body === 'string' || status?.kind !== 'Status') {
        return new KubeDeployError('knative_missing', `the cluster does not serve ${request.resource} (${serverMessage})`, KNATIVE_HINT);
      }
      if (/^namespaces "/.test(serverMessage)) {
        return new KubeDeployError(
          'namespace_missing',
          `namespace "${request.namespace}" does not exist (${serverMessage})`,
          `create it: kubectl create namespace ${request.namespace} (manifests/base creates "switchyard" with the deployer's RBAC), or pass --namespace`,
        );
      }
      return new KubeDeployError('not_found', `${target} not found${where(request)}: ${serverMessage}`);
    case 409:
      return new KubeDeployError(
        'conflict',
        `${target}: ${serverMessage}`,
        'another field manager owns these fields; switchyard applies with force, so this comes from a concurrent change: run the command again',
      );
    case 422:
      return new KubeDeployError('manifest_rejected', `the cluster rejected the manifest of ${target}: ${causes(status) ?? serverMessage}`, MANIFEST_HINT);
    case 500:
      if (/failed to create typed patch object/.test(serverMessage)) {
        const detail = serverMessage.replace(/^failed to create typed patch object \([^)]*\):\s*/, '');
        return new KubeDeployError(
          'manifest_rejected',
          `the cluster rejected the manifest of ${target}: it does not fit the ${request.resource} schema the cluster has: ${detail}`,
          `${MANIFEST_HINT}; a field "not declared in schema" usually means the cluster's Knative Serving is older than the manifest needs (kubectl get crd services.serving.knative.dev)`,
        );
      }
      return new KubeDeployError('api_error', `${request.verb} ${target}${where(request)} failed: HTTP 500: ${serverMessage}`);
    default:
      return new KubeDeployError('api_error', `${request.verb} ${target}${where(request)} failed: HTTP ${failure.code}: ${serverMessage}`);
  }
}

function causes(status: StatusBody | undefined): string | undefined {
  const list = status?.details?.causes;
  if (list === undefined || list.length === 0) return undefined;
  return list.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''))).join('; ');
}

export const KNATIVE_HINT =
  'install Knative Serving (https://knative.dev/docs/install/yaml-install/serving/install-serving-with-yaml/): kubectl apply -f serving-crds.yaml -f serving-core.yaml, then a networking layer';

const MANIFEST_HINT = 'the manifest switchyard rendered does not fit this cluster: see it under the build directory\'s manifests/ (switchyard compile writes the same files)';

export function unreachable(cluster: ClusterContext, cause: string): KubeDeployError {
  return new KubeDeployError(
    'unreachable',
    `cannot reach the cluster at ${cluster.server} (context "${cluster.context}"): ${cause}`,
    `is the cluster running, and is "${cluster.context}" the context you meant? check with: kubectl --context ${cluster.context} cluster-info (or pass --context / --kubeconfig)`,
  );
}
