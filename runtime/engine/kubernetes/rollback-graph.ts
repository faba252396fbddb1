/**
 * @module `switchyard rollback <graph>`: each Knative Service of the graph sends all its traffic back to the
 * previous ready revision (rollback-plan.ts), applied with server-side apply as the `switchyard-rollback` field
 * manager (forcing: `spec.traffic` is an atomic list that `switchyard deploy` owned).
 */
import { checkCluster } from './cluster-check.ts';
import { KubeDeployError } from './errors.ts';
import { graphRevisions, graphServices, type GraphTarget } from './graph-objects.ts';
import type { KubeApi } from './kube-api.ts';
import { chooseRollback, pinTraffic, type RollbackChoice } from './rollback-plan.ts';
import { ROLLBACK_FIELD_MANAGER } from './types.ts';

export async function rollbackGraph(api: KubeApi, target: GraphTarget & { dryRun: boolean }): Promise<RollbackChoice[]> {
  await checkCluster(api);
  const services = await graphServices(api, target);
  const revisions = await graphRevisions(api, target.namespace, services);
  const choices = services.map((service) => chooseRollback(service, revisions));
  if (choices.every((c) => c.target === undefined)) {
    throw new KubeDeployError(
      'not_found',
      `nothing to roll back in graph "${target.graph}": ${choices.map((c) => `${c.service}: ${c.reason ?? 'no earlier revision'}`).join('; ')}`,
      'a rollback needs an earlier revision that became ready: deploy a new version first',
    );
  }
  for (const [i, choice] of choices.entries()) {
    if (choice.target === undefined) continue;
    await api.apply(pinTraffic(services[i]!, choice.target), { fieldManager: ROLLBACK_FIELD_MANAGER, force: true, dryRun: target.dryRun });
  }
  return choices;
}
