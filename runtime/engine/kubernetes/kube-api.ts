/**
 * @module The few Kubernetes API calls the deployer makes, as a small interface (so that its logic is tested
 * without a client library) — implemented over @kubernetes/client-node by client.ts.
 *
 * Every method throws a `KubeDeployError` that says what to do (errors.ts), never a raw client error.
 */
import type { KubeObject, ObjectRef } from './types.ts';

export interface ApplyOptions {
  fieldManager: string;
  /** Take over fields that other managers own (needed for atomic lists such as `containers`, `spec.traffic`). */
  force: boolean;
  /** The server's dry run (`dryRun=All`): everything but storing. */
  dryRun: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandle {
  stop(): void;
}

export interface KubeApi {
  /** The apiserver URL and the kubeconfig context, for messages. */
  readonly server: string;
  readonly context: string;
  /** Every group version the apiserver serves (`v1`, `serving.knative.dev/v1`, …), from discovery. */
  groupVersions(): Promise<string[]>;
  /** The object, or undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace: string, labelSelector: string): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Server-side apply (PATCH `application/apply-patch+yaml`); returns the object as stored (or as it would be). */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Deletes with background propagation; false when the object was already gone. */
  delete(ref: ObjectRef, options: { dryRun: boolean }): Promise<boolean>;
  /**
   * Watches a collection from `resourceVersion`; `onDone` is called once when the stream ends (error or not)
   * unless `stop()` was called first.
   */
  watch(
    apiVersion: string,
    kind: string,
    namespace: string,
    options: { labelSelector: string; resourceVersion: string },
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    onDone: (error: unknown) => void,
  ): Promise<WatchHandle>;
}

/** `services.serving.knative.dev`, `configmaps`: how RBAC and the apiserver name a resource. */
export function resourceName(apiVersion: string, kind: string): string {
  const plural = `${kind.toLowerCase()}s`;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === '' ? plural : `${plural}.${group}`;
}

/** The REST path of a collection: `/api/v1/namespaces/ns/configmaps`, `/apis/g/v/namespaces/ns/services`. */
export function collectionPath(apiVersion: string, kind: string, namespace: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${root}/namespaces/${encodeURIComponent(namespace)}/${kind.toLowerCase()}s`;
}
