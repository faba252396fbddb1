/**
 * @module `switchyard status <graph>` on a cluster: each Knative Service of the graph with its conditions,
 * latest created and ready revisions, traffic split and ready replicas.
 */
import { checkCluster } from './cluster-check.ts';
import { graphRevisions, graphServices, type GraphTarget } from './graph-objects.ts';
import type { KubeApi } from './kube-api.ts';
import { summarizeService, type ServiceSummary } from './service-status.ts';
import { isOrchestrator } from './types.ts';

export interface GraphStatus {
  graph: string;
  namespace: string;
  server: string;
  context: string;
  /** The orchestrator's public URL, once Knative has given it one. */
  url: string | undefined;
  services: ServiceSummary[];
}

export async function graphStatus(api: KubeApi, target: GraphTarget): Promise<GraphStatus> {
  await checkCluster(api);
  const services = await graphServices(api, target);
  const revisions = await graphRevisions(api, target.namespace, services);
  const summaries = services.map((s) => summarizeService(s, revisions));
  const front = services.find(isOrchestrator);
  return {
    graph: target.graph,
    namespace: target.namespace,
    server: api.server,
    context: api.context,
    url: front === undefined ? undefined : summaries[services.indexOf(front)]?.url,
    services: summaries,
  };
}
