/**
 * @module `switchyard delete <graph> [--namespace ns] [--context ctx] [--kubeconfig path] [--dry-run]`: every
 * object of a deployed graph, by its label (background propagation).
 */
import { deleteGraph } from '../../../runtime/engine/kubernetes/index.ts';
import { stateSecretName } from '../../render/index.ts';
import type { Output } from '../output.ts';
import { connect, resolveTarget, withClusterErrors, type ClusterOptions, type Env } from './cluster-status.ts';

export async function deleteCommand(graphArg: string, options: ClusterOptions & { dryRun?: boolean }, out: Output, env: Env): Promise<number> {
  return withClusterErrors(out, async () => {
    const target = await resolveTarget(graphArg, options);
    const api = connect(options, env);
    const dryRun = options.dryRun === true;
    const deleted = await deleteGraph(api, { ...target, stateSecretName: stateSecretName(target.graph), dryRun });
    for (const ref of deleted) out.info(`  ${dryRun ? 'would delete' : 'deleted'}  ${ref.kind} ${ref.name}`);
    out.info(`${dryRun ? 'would delete' : 'deleted'} graph "${target.graph}" from namespace "${target.namespace}" (${deleted.length} objects; Knative removes their revisions)`);
    return 0;
  });
}
