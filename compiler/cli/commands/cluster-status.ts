/**
 * @module `switchyard status <graph> [--namespace ns] [--context ctx] [--kubeconfig path] [--json]`: a graph
 * deployed on Kubernetes — each Knative Service's readiness, revisions, traffic split and replicas. Also the
 * pieces every cluster command shares: its options, finding the graph's name and namespace, connecting, errors.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { connectCluster, formatKubeError, graphStatus, KubeDeployError, type KubeApi, type ServiceSummary } from '../../../runtime/engine/kubernetes/index.ts';
import { realClock } from '../../../runtime/time/index.ts';
import { DEFAULT_NAMESPACE } from '../../plan/index.ts';
import { loadGraphFile } from '../../spec/index.ts';
import { table, type Output } from '../output.ts';

export interface ClusterOptions {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
}

export type Env = Record<string, string | undefined>;

/** Adds --namespace, --context and --kubeconfig to a command. */
export function addClusterOptions(command: Command): Command {
  return command
    .option('-n, --namespace <namespace>', `Kubernetes namespace (default: the graph file's metadata.namespace, else "${DEFAULT_NAMESPACE}")`)
    .option('--context <context>', 'kubeconfig context (default: its current context)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster service account)');
}

/** The graph a command is about: a graph file (its metadata) or a graph name, and the namespace. */
export async function resolveTarget(graph: string, options: ClusterOptions): Promise<{ graph: string; namespace: string }> {
  if (existsSync(graph) && statSync(graph).isFile()) {
    const loaded = await loadGraphFile(graph);
    const metadata = ((loaded.data as { metadata?: unknown } | undefined)?.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    if (typeof metadata.name !== 'string' || metadata.name === '') {
      throw new KubeDeployError('not_found', `${graph} has no metadata.name`, 'pass the graph file that was deployed, or the graph\'s name');
    }
    const namespace = options.namespace ?? (typeof metadata.namespace === 'string' ? metadata.namespace : DEFAULT_NAMESPACE);
    return { graph: metadata.name, namespace };
  }
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(graph)) {
    throw new KubeDeployError('not_found', `"${graph}" is neither a graph file nor a graph name`, 'pass the graph file (graph.yaml) or the graph\'s metadata.name');
  }
  return { graph, namespace: options.namespace ?? DEFAULT_NAMESPACE };
}

export function connect(options: ClusterOptions, env: Env): KubeApi {
  return connectCluster({
    env,
    clock: realClock,
    ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
    ...(options.context === undefined ? {} : { context: options.context }),
  });
}

/** Runs a cluster command, printing a `KubeDeployError` (what happened, what to do) and exiting 1 on one. */
export async function withClusterErrors(out: Output, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof KubeDeployError)) throw error;
    out.error(formatKubeError(error));
    return 1;
  }
}

function trafficCell(service: ServiceSummary): string {
  if (service.traffic.length === 0) return '-';
  return service.traffic
    .map((t) => `${t.tag === undefined ? '' : `${t.tag}: `}${t.revision} ${t.percent}%${t.latest ? ' (latest)' : ''}`)
    .join('; ');
}

function replicasCell(service: ServiceSummary): string {
  if (service.replicas.length === 0) return '-';
  const ready = service.replicas.reduce((sum, r) => sum + r.ready, 0);
  const desired = service.replicas.reduce((sum, r) => sum + r.desired, 0);
  return `${ready}/${desired}`;
}

const READY_CELL = { ready: 'True', failed: 'False', pending: 'Unknown' } as const;

export async function clusterStatusCommand(graphArg: string, options: ClusterOptions & { json?: boolean }, out: Output, env: Env): Promise<number> {
  return withClusterErrors(out, async () => {
    const target = await resolveTarget(graphArg, options);
    const status = await graphStatus(connect(options, env), target);
    if (options.json) {
      out.info(JSON.stringify(status, null, 2));
      return 0;
    }
    out.info(`graph "${status.graph}" in namespace "${status.namespace}" (context "${status.context}", ${status.server})`);
    out.info(`url: ${status.url ?? '(none yet: the orchestrator has not become ready)'}`);
    out.info('');
    out.info(
      table(
        ['service', 'ready', 'latest created', 'latest ready', 'traffic', 'replicas'],
        status.services.map((s) => [s.name, READY_CELL[s.readiness.state], s.latestCreated ?? '-', s.latestReady ?? '-', trafficCell(s), replicasCell(s)]),
      ),
    );
    for (const service of status.services.filter((s) => s.readiness.state !== 'ready')) {
      out.info('');
      out.info(`${service.name} is not ready:`);
      if (service.conditions.length === 0) out.info(`  ${service.readiness.reason ?? ''}: ${service.readiness.message ?? ''}`);
      for (const c of service.conditions) out.info(`  ${c.type}=${c.status}${c.reason ? `  ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
    return 0;
  });
}
