/**
 * @module Finding a deployed graph in a namespace: its Knative Services and ConfigMaps (by the
 * `switchyard.dev/graph` label), the Revisions of those Services, and its state Secret (by name: the deployer may
 * not list Secrets). Used by status, rollback and delete.
 */
import { KubeDeployError } from './errors.ts';
import type { KubeApi } from './kube-api.ts';
import { GRAPH_LABEL, isOrchestrator, KNATIVE_API_VERSION, KNATIVE_SERVICE_LABEL, type KubeObject } from './types.ts';

export interface GraphTarget {
  graph: string;
  namespace: string;
}

/** The graph's Knative Services (functions by name, the orchestrator last); throws `not_found` when none. */
export async function graphServices(api: KubeApi, target: GraphTarget): Promise<KubeObject[]> {
  const list = await api.list(KNATIVE_API_VERSION, 'Service', target.namespace, `${GRAPH_LABEL}=${target.graph}`);
  if (list.items.length === 0) throw notDeployed(api, target);
  return list.items.sort((a, b) => Number(isOrchestrator(a)) - Number(isOrchestrator(b)) || a.metadata.name.localeCompare(b.metadata.name));
}

/** The Revisions of `services`. */
export async function graphRevisions(api: KubeApi, namespace: string, services: KubeObject[]): Promise<KubeObject[]> {
  if (services.length === 0) return [];
  const names = services.map((s) => s.metadata.name).join(',');
  return (await api.list(KNATIVE_API_VERSION, 'Revision', namespace, `${KNATIVE_SERVICE_LABEL} in (${names})`)).items;
}

export function notDeployed(api: KubeApi, target: GraphTarget): KubeDeployError {
  return new KubeDeployError(
    'not_found',
    `no graph "${target.graph}" in namespace "${target.namespace}" of the cluster at ${api.server} (context "${api.context}"): nothing is labelled ${GRAPH_LABEL}=${target.graph}`,
    'deploy it with switchyard deploy graph.yaml, or pass the --namespace / --context it was deployed to',
  );
}
