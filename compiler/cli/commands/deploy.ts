/**
 * @module `switchyard deploy graph.yaml [--namespace ns] [--context ctx] [--kubeconfig path] [--image img]
 * [--dry-run] [--no-wait] [--timeout 5m] [--state-url redis://…]`: compile the graph (the same files
 * `switchyard compile` writes), then apply its manifests to the cluster with runtime/engine/kubernetes and wait
 * for every Knative Service to be Ready; print the orchestrator's URL.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkCluster, deployGraph, formatDeployEvent, type DeployResult, type KubeObject } from '../../../runtime/engine/kubernetes/index.ts';
import { realClock } from '../../../runtime/time/index.ts';
import type { PlanOverrides } from '../../plan/index.ts';
import { STATE_SECRET_KEY, stateSecretName } from '../../render/index.ts';
import { buildGraph } from '../build-graph.ts';
import { parseDurationFlag } from '../flags.ts';
import type { Output } from '../output.ts';
import { connect, withClusterErrors, type ClusterOptions, type Env } from './cluster-status.ts';

export interface DeployCliOptions extends ClusterOptions {
  image?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout?: string;
  buildDir?: string;
  stateUrl?: string;
}

/** Where deploy compiles to unless --build-dir says otherwise: `.switchyard/deploy/<graph path>`. */
function defaultBuildDir(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file)).replace(/\.(ya?ml|json)$/, '');
  return path.join('.switchyard', 'deploy', rel.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'graph');
}

/** The objects `switchyard compile` wrote to `<outDir>/manifests`, in file order. */
export async function readManifests(outDir: string, files: string[]): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(path.join(outDir, 'manifests', file), 'utf8'))) {
      const value = doc.toJS() as KubeObject | null;
      if (value !== null) objects.push(value);
    }
  }
  return objects;
}

function summary(result: DeployResult, dryRun: boolean): string {
  const count = (outcome: string) => result.applied.filter((a) => a.outcome === outcome).length;
  const would = dryRun ? 'would be ' : '';
  return `${result.applied.length} objects: ${count('created')} ${would}created, ${count('configured')} ${would}configured, ${count('unchanged')} unchanged; ${result.pruned.length} ${would}pruned`;
}

export async function deployCommand(file: string, options: DeployCliOptions, out: Output, env: Env): Promise<number> {
  const timeoutMs = parseDurationFlag('--timeout', options.timeout ?? '5m');
  if (options.stateUrl !== undefined && !/^rediss?:\/\/\S+$/.test(options.stateUrl)) {
    throw new Error('--state-url takes a Redis URL such as redis://:PASSWORD@redis.svc:6379; received something else (not shown: it may hold a password)');
  }
  return withClusterErrors(out, async () => {
    const api = connect(options, env);
    // Before compiling: an unreachable cluster or one without Knative fails fast.
    await checkCluster(api);
    const overrides: PlanOverrides = options.namespace === undefined ? {} : { namespace: options.namespace };
    const built = await buildGraph(file, { outDir: options.buildDir ?? defaultBuildDir(file), overrides, log: (line) => out.info(line), ...(options.image ? { image: options.image } : {}) });
    if (!built.ok) {
      out.error(built.report);
      return 1;
    }
    const { plan } = built;
    if (options.stateUrl !== undefined && plan.state.kind !== 'redis') {
      throw new Error(`--state-url is for graphs that keep router state in Redis; graph "${plan.graph}" uses ${plan.state.kind}: set spec.state: {store: redis, url: …} in the graph, or leave out --state-url`);
    }
    const objects = await readManifests(built.outDir, built.manifests);
    const dryRun = options.dryRun === true;
    out.info(`deploying graph "${plan.graph}" to namespace "${plan.namespace}" (context "${api.context}", ${api.server})${dryRun ? ': dry run, nothing changes' : ''}`);
    const result = await deployGraph(api, {
      graph: plan.graph,
      namespace: plan.namespace,
      objects,
      stateSecret: {
        name: stateSecretName(plan.graph),
        key: STATE_SECRET_KEY,
        value: plan.state.kind === 'redis' ? (options.stateUrl ?? plan.state.url) : undefined,
        labels: { ...plan.labels },
      },
      dryRun,
      wait: options.wait !== false,
      timeoutMs,
      clock: realClock,
      onEvent: (event) => out.info(formatDeployEvent(event)),
    });
    out.info('');
    out.info(summary(result, dryRun));
    if (dryRun) return 0;
    if (options.wait === false) out.info(`not waiting for readiness (--no-wait): see it with switchyard status ${plan.graph} --namespace ${plan.namespace}`);
    else if (result.url !== undefined) {
      out.info(`graph "${plan.graph}" is ready at ${result.url}`);
      if (result.grpcUrl !== undefined) out.info(`gRPC (inference.GRPCInferenceService, HTTP/2 cleartext): ${new URL(result.grpcUrl).host}:80`);
    }
    else out.info(`graph "${plan.graph}" is ready; Knative has not given the orchestrator a URL (no ingress?)`);
    return 0;
  });
}
