/**
 * @module `switchyard delete <graph>`: every object of the graph — its Knative Services (orchestrator first),
 * ConfigMaps and its state Secret when switchyard made it — deleted with background propagation (Knative's
 * Configurations, Revisions and Routes go with their Service; foreground deletion would hang on a cluster whose
 * controllers do not run).
 */
import { checkCluster } from './cluster-check.ts';
import { notDeployed, type GraphTarget } from './graph-objects.ts';
import type { KubeApi } from './kube-api.ts';
import { deleteOrder } from './order.ts';
import { GRAPH_LABEL, KNATIVE_API_VERSION, type ObjectRef } from './types.ts';

export async function deleteGraph(api: KubeApi, target: GraphTarget & { stateSecretName: string; dryRun: boolean }): Promise<ObjectRef[]> {
  await checkCluster(api);
  const selector = `${GRAPH_LABEL}=${target.graph}`;
  const [services, configMaps, secret] = await Promise.all([
    api.list(KNATIVE_API_VERSION, 'Service', target.namespace, selector),
    api.list('v1', 'ConfigMap', target.namespace, selector),
    api.get({ apiVersion: 'v1', kind: 'Secret', namespace: target.namespace, name: target.stateSecretName }),
  ]);
  const objects = [...services.items, ...configMaps.items];
  if (secret !== undefined && secret.metadata.labels?.[GRAPH_LABEL] === target.graph) objects.push(secret);
  if (objects.length === 0) throw notDeployed(api, target);
  const deleted: ObjectRef[] = [];
  for (const object of deleteOrder(objects)) {
    const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, namespace: target.namespace, name: object.metadata.name };
    if (await api.delete(ref, { dryRun: target.dryRun })) deleted.push(ref);
  }
  return deleted;
}
