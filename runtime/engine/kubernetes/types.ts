/**
 * @module The shapes the Kubernetes deployer works with: plain JSON objects (no client library types), the
 * constants it shares with the renderer (labels, field managers), and the events it reports.
 *
 * The label names repeat compiler/render's (run time never imports build time); a test checks they agree.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  uid?: string;
  [field: string]: unknown;
}

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Which object: enough to GET, apply or DELETE it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export const KNATIVE_API_VERSION = 'serving.knative.dev/v1';
/** Label on every object of a graph: what prune, status and delete select by. */
export const GRAPH_LABEL = 'switchyard.dev/graph';
/** Label naming the function an object belongs to (`orchestrator` for the front door). */
export const FUNCTION_LABEL = 'switchyard.dev/function';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const ORCHESTRATOR_FUNCTION = 'orchestrator';
/** The `switchyard.dev/function` of the gRPC front end (`<graph>-grpc`), which calls the orchestrator. */
export const GRPC_FUNCTION = 'grpc';
/** Knative's label on a Revision naming its Service. */
export const KNATIVE_SERVICE_LABEL = 'serving.knative.dev/service';
/** Knative's label on a Revision: the Configuration generation it was created for (its order). */
export const KNATIVE_GENERATION_LABEL = 'serving.knative.dev/configurationGeneration';

/** The field manager `switchyard deploy` applies as. */
export const FIELD_MANAGER = 'switchyard';
/** The field manager `switchyard rollback` applies `spec.traffic` as (so that a later deploy takes it back). */
export const ROLLBACK_FIELD_MANAGER = 'switchyard-rollback';

/** Knative traffic target (spec.traffic[] / status.traffic[]). */
export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  url?: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function refOf(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
}

/** `ConfigMap switchyard/seed-plan`, `Service switchyard/seed-orchestrator`. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

export function isKnativeService(object: { apiVersion: string; kind: string }): boolean {
  return object.apiVersion === KNATIVE_API_VERSION && object.kind === 'Service';
}

export function isOrchestrator(object: KubeObject): boolean {
  return object.metadata.labels?.[FUNCTION_LABEL] === ORCHESTRATOR_FUNCTION;
}

/** The gRPC front end's Service: applied after the orchestrator it calls, deleted before it. */
export function isGrpcGateway(object: KubeObject): boolean {
  return isKnativeService(object) && object.metadata.labels?.[FUNCTION_LABEL] === GRPC_FUNCTION;
}
