/**
 * @module `switchyard deploy`: a compiled graph's objects onto a cluster.
 *
 * 1. Check the cluster: it answers, and it serves Knative Serving v1.
 * 2. Apply, in dependency order, with server-side apply (apply-object.ts): ConfigMaps and the state Secret, then
 *    the function Services — and, when waiting, wait for them to be Ready — then the orchestrator (and wait),
 *    then the gRPC front end `<graph>-grpc` when the graph has one (and wait).
 * 3. Prune what an earlier deploy of the graph made and this one no longer has (by the graph label), after the
 *    new Services are Ready so the old front door keeps working until then.
 *
 * With `dryRun` every apply and delete is the server's dry run: nothing changes, each object says what would.
 * Progress goes to `onEvent`; the state Secret's value never appears in an event.
 */
import type { Clock } from '../../time/clock.ts';
import { applyObject, type AppliedObject, type ApplyOutcome } from './apply-object.ts';
import { checkCluster } from './cluster-check.ts';
import type { KubeApi } from './kube-api.ts';
import { applyPhases } from './order.ts';
import { pruneSet } from './prune.ts';
import { statusOf } from './service-status.ts';
import { GRAPH_LABEL, KNATIVE_API_VERSION, type KubeObject, type ObjectRef } from './types.ts';
import { waitForServices, type ServiceStateChange } from './wait-ready.ts';

/** The Secret that holds the orchestrator's state store URL (SWITCHYARD_STATE). */
export interface StateSecret {
  name: string;
  key: string;
  /** The value to store; undefined when the graph keeps no state in Redis (an old Secret of ours is pruned). */
  value: string | undefined;
  labels: Record<string, string>;
}

export type DeployEvent =
  | { type: 'phase'; phase: 'config' | 'functions' | 'orchestrator' | 'grpc' | 'prune' }
  | { type: 'applied'; ref: ObjectRef; outcome: ApplyOutcome; changes: string[]; note?: string; dryRun: boolean }
  | { type: 'secret-kept'; ref: ObjectRef }
  | ServiceStateChange
  | { type: 'pruned'; ref: ObjectRef; dryRun: boolean };

export interface DeployOptions {
  graph: string;
  namespace: string;
  /** The rendered objects (compiler/render, as `switchyard compile` writes them). */
  objects: KubeObject[];
  stateSecret?: StateSecret;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  clock: Clock;
  onEvent: (event: DeployEvent) => void;
}

export interface DeployResult {
  applied: AppliedObject[];
  pruned: ObjectRef[];
  /** The orchestrator's URL (status.url), when Knative has given it one. */
  url: string | undefined;
  /** The gRPC front end's URL (`<graph>-grpc`, h2c), when it is deployed and Knative has given it one. */
  grpcUrl?: string;
}

export async function deployGraph(api: KubeApi, options: DeployOptions): Promise<DeployResult> {
  const { dryRun, onEvent, clock } = options;
  await checkCluster(api);
  const phases = applyPhases(options.objects);
  const applied: AppliedObject[] = [];
  const desired = [...options.objects];
  const deadline = clock.now() + options.timeoutMs;
  const served = new Map<string, KubeObject>();

  const apply = async (object: KubeObject) => {
    const result = await applyObject(api, object, { dryRun });
    applied.push(result);
    onEvent({ type: 'applied', ref: result.ref, outcome: result.outcome, changes: result.changes, dryRun, ...(result.note === undefined ? {} : { note: result.note }) });
    return result;
  };
  const waitFor = async (services: KubeObject[]) => {
    if (!options.wait || dryRun || services.length === 0) return;
    const ready = await waitForServices(api, {
      graph: options.graph,
      namespace: options.namespace,
      names: services.map((s) => s.metadata.name),
      clock,
      timeoutMs: Math.max(0, deadline - clock.now()),
      onChange: onEvent,
    });
    for (const [name, service] of ready) served.set(name, service);
  };

  onEvent({ type: 'phase', phase: 'config' });
  for (const object of phases.config) await apply(object);
  const secret = options.stateSecret === undefined ? undefined : await applyStateSecret(api, options, apply);
  if (secret !== undefined) desired.push(secret);
  onEvent({ type: 'phase', phase: 'functions' });
  for (const object of phases.functions) await apply(object);
  await waitFor(phases.functions);
  onEvent({ type: 'phase', phase: 'orchestrator' });
  const fronts: AppliedObject[] = [];
  for (const object of phases.orchestrator) fronts.push(await apply(object));
  await waitFor(phases.orchestrator);
  const grpcFronts: AppliedObject[] = [];
  if (phases.grpc.length > 0) {
    onEvent({ type: 'phase', phase: 'grpc' });
    for (const object of phases.grpc) grpcFronts.push(await apply(object));
    await waitFor(phases.grpc);
  }

  onEvent({ type: 'phase', phase: 'prune' });
  const pruned = await prune(api, options, desired);

  const front = phases.orchestrator[0];
  const url = front === undefined ? undefined : statusOf(served.get(front.metadata.name) ?? fronts[0]?.object ?? front).url;
  const grpcFront = phases.grpc[0];
  const grpcUrl = grpcFront === undefined ? undefined : statusOf(served.get(grpcFront.metadata.name) ?? grpcFronts[0]?.object ?? grpcFront).url;
  return { applied, pruned, url, ...(grpcUrl === undefined ? {} : { grpcUrl }) };
}

/**
 * The state Secret, applied unless someone else made one by that name (then it is theirs to keep: a user may
 * hold a URL with a password there). Returns the Secret when it is ours to keep, so prune leaves it.
 */
async function applyStateSecret(
  api: KubeApi,
  options: DeployOptions,
  apply: (object: KubeObject) => Promise<AppliedObject>,
): Promise<KubeObject | undefined> {
  const secret = options.stateSecret!;
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'Secret', namespace: options.namespace, name: secret.name };
  if (secret.value === undefined) return undefined;
  const live = await api.get(ref);
  if (live !== undefined && live.metadata.labels?.[GRAPH_LABEL] !== options.graph) {
    options.onEvent({ type: 'secret-kept', ref });
    return live;
  }
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secret.name, namespace: options.namespace, labels: secret.labels },
    type: 'Opaque',
    data: { [secret.key]: Buffer.from(secret.value, 'utf8').toString('base64') },
  };
  await apply(object);
  return object;
}

async function prune(api: KubeApi, options: DeployOptions, desired: KubeObject[]): Promise<ObjectRef[]> {
  const selector = `${GRAPH_LABEL}=${options.graph}`;
  const [services, configMaps] = await Promise.all([
    api.list(KNATIVE_API_VERSION, 'Service', options.namespace, selector),
    api.list('v1', 'ConfigMap', options.namespace, selector),
  ]);
  const live = [...services.items, ...configMaps.items];
  // Secrets cannot be listed (the deployer's RBAC has no list on secrets): the state Secret is looked up by name.
  const secret = options.stateSecret;
  if (secret !== undefined && secret.value === undefined) {
    const found = await api.get({ apiVersion: 'v1', kind: 'Secret', namespace: options.namespace, name: secret.name });
    if (found !== undefined) live.push(found);
  }
  const pruned: ObjectRef[] = [];
  for (const object of pruneSet(live, desired, options.graph)) {
    const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, namespace: options.namespace, name: object.metadata.name };
    if (await api.delete(ref, { dryRun: options.dryRun })) {
      pruned.push(ref);
      options.onEvent({ type: 'pruned', ref, dryRun: options.dryRun });
    }
  }
  return pruned;
}
