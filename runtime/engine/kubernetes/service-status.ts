/**
 * @module Reading a Knative Service's status: whether it is ready for its current spec, and a summary of its
 * conditions, revisions, traffic split and replicas for `switchyard status`. Pure.
 *
 * A Service is ready when its `Ready` condition is True for the generation it has now (`observedGeneration`
 * equals `metadata.generation`); `Ready` False for the current generation is a failure; anything else is still
 * in progress. Knative uses Unknown while it works and False once it has given up.
 */
import {
  FUNCTION_LABEL,
  KNATIVE_GENERATION_LABEL,
  KNATIVE_SERVICE_LABEL,
  type Condition,
  type KubeObject,
  type TrafficTarget,
} from './types.ts';

export type ReadinessState = 'ready' | 'failed' | 'pending';

export interface Readiness {
  state: ReadinessState;
  reason?: string;
  message?: string;
  /** The newest revision Knative made for this Service. */
  revision?: string;
}

interface ServiceStatusJson {
  observedGeneration?: number;
  conditions?: Condition[];
  latestCreatedRevisionName?: string;
  latestReadyRevisionName?: string;
  url?: string;
  traffic?: TrafficTarget[];
}

export function statusOf(object: KubeObject): ServiceStatusJson {
  return (object['status'] ?? {}) as ServiceStatusJson;
}

export function condition(object: KubeObject, type: string): Condition | undefined {
  return statusOf(object).conditions?.find((c) => c.type === type);
}

export function readiness(service: KubeObject): Readiness {
  const status = statusOf(service);
  const revision = status.latestCreatedRevisionName;
  const withRevision = (r: Readiness): Readiness => (revision === undefined ? r : { ...r, revision });
  const generation = service.metadata.generation ?? 0;
  if (status.observedGeneration === undefined || status.observedGeneration < generation) {
    return withRevision({ state: 'pending', reason: 'NotReconciled', message: `Knative has not yet seen generation ${generation}` });
  }
  const ready = condition(service, 'Ready');
  const detail = { ...(ready?.reason ? { reason: ready.reason } : {}), ...(ready?.message ? { message: ready.message } : {}) };
  if (ready?.status === 'True') return withRevision({ state: 'ready' });
  if (ready?.status === 'False') return withRevision({ state: 'failed', ...detail });
  return withRevision({ state: 'pending', ...detail });
}

/** The revision's order: Knative's configurationGeneration label (its name's suffix otherwise). */
export function revisionGeneration(revision: KubeObject): number {
  const label = Number(revision.metadata.labels?.[KNATIVE_GENERATION_LABEL]);
  if (Number.isFinite(label)) return label;
  const suffix = /-(\d+)$/.exec(revision.metadata.name);
  return suffix ? Number(suffix[1]) : 0;
}

/** The revisions of one Service, newest first. */
export function revisionsOf(service: string, revisions: KubeObject[]): KubeObject[] {
  return revisions
    .filter((r) => r.metadata.labels?.[KNATIVE_SERVICE_LABEL] === service)
    .sort((a, b) => revisionGeneration(b) - revisionGeneration(a));
}

export function revisionReady(revision: KubeObject): boolean {
  return condition(revision, 'Ready')?.status === 'True';
}

export interface TrafficShare {
  revision: string;
  percent: number;
  tag?: string;
  latest: boolean;
  url?: string;
}

export interface ServiceSummary {
  name: string;
  function: string | undefined;
  readiness: Readiness;
  conditions: Condition[];
  url: string | undefined;
  latestCreated: string | undefined;
  latestReady: string | undefined;
  /** What Knative routes now (status.traffic), else what the spec asks for. */
  traffic: TrafficShare[];
  /** Replicas of each revision that gets traffic: ready (actualReplicas) and wanted (desiredReplicas). */
  replicas: Array<{ revision: string; ready: number; desired: number }>;
}

export function summarizeService(service: KubeObject, revisions: KubeObject[]): ServiceSummary {
  const status = statusOf(service);
  const spec = (service['spec'] ?? {}) as { traffic?: TrafficTarget[] };
  const routed = status.traffic ?? spec.traffic ?? [];
  const traffic: TrafficShare[] = routed.map((t) => ({
    revision: t.revisionName ?? (t.latestRevision ? (status.latestReadyRevisionName ?? '(latest)') : '(unset)'),
    percent: t.percent ?? 0,
    latest: t.latestRevision === true,
    ...(t.tag === undefined ? {} : { tag: t.tag }),
    ...(t.url === undefined ? {} : { url: t.url }),
  }));
  const own = revisionsOf(service.metadata.name, revisions);
  const serving = new Set(traffic.filter((t) => t.percent > 0).map((t) => t.revision));
  const replicas = own
    .filter((r) => serving.has(r.metadata.name))
    .map((r) => {
      const rs = (r['status'] ?? {}) as { actualReplicas?: number; desiredReplicas?: number };
      return { revision: r.metadata.name, ready: rs.actualReplicas ?? 0, desired: rs.desiredReplicas ?? 0 };
    });
  return {
    name: service.metadata.name,
    function: service.metadata.labels?.[FUNCTION_LABEL],
    readiness: readiness(service),
    conditions: status.conditions ?? [],
    url: status.url,
    latestCreated: status.latestCreatedRevisionName,
    latestReady: status.latestReadyRevisionName,
    traffic,
    replicas,
  };
}
