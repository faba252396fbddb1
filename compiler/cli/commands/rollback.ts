/**
 * @module `switchyard rollback <graph> [--namespace ns] [--context ctx] [--kubeconfig path] [--dry-run]`: each
 * function's traffic back to its previous ready revision. The next `switchyard deploy` sends traffic to the
 * latest revision again.
 */
import { rollbackGraph } from '../../../runtime/engine/kubernetes/index.ts';
import type { Output } from '../output.ts';
import { connect, resolveTarget, withClusterErrors, type ClusterOptions, type Env } from './cluster-status.ts';

export async function rollbackCommand(graphArg: string, options: ClusterOptions & { dryRun?: boolean }, out: Output, env: Env): Promise<number> {
  return withClusterErrors(out, async () => {
    const target = await resolveTarget(graphArg, options);
    const api = connect(options, env);
    const dryRun = options.dryRun === true;
    const choices = await rollbackGraph(api, { ...target, dryRun });
    for (const choice of choices) {
      if (choice.target === undefined) out.info(`  ${choice.service}: left as it is (${choice.reason ?? 'no earlier revision'})`);
      else out.info(`  ${choice.service}: all traffic ${dryRun ? 'would go' : 'now goes'} to ${choice.target} (was ${choice.current ?? 'the latest revision'})`);
    }
    const moved = choices.filter((c) => c.target !== undefined).length;
    out.info(`${dryRun ? 'would roll back' : 'rolled back'} ${moved} of ${choices.length} Services of graph "${target.graph}"; switchyard deploy makes the latest revision live again`);
    return 0;
  });
}
