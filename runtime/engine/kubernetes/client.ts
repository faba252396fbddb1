/**
 * @module `KubeApi` over the real @kubernetes/client-node (the only run-time code that imports it, with
 * kube-config.ts): `KubernetesObjectApi` for get, list, server-side apply and delete, the discovery APIs for
 * group versions, `Watch` for watches. Objects come back as plain JSON (the client's typed models turned back
 * into what the apiserver sent). Each call has a timeout from the injected clock.
 */
import { ApisApi, CoreApi, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { Clock } from '../../time/clock.ts';
import { explainApiError, unreachable, type ClusterContext, type RequestContext } from './errors.ts';
import { collectionPath, resourceName, type ApplyOptions, type KubeApi, type WatchEventType, type WatchHandle } from './kube-api.ts';
import type { LoadedKubeConfig } from './kube-config.ts';
import { describeRef, type KubeObject, type ObjectRef } from './types.ts';

export interface ClientOptions {
  clock: Clock;
  /** How long one API request may take (default 30 s). */
  requestTimeoutMs?: number;
}

/** The JSON the apiserver sent: typed models' Dates become strings again and unset fields disappear. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createKubeApi(loaded: LoadedKubeConfig, options: ClientOptions): KubeApi {
  const { kubeConfig } = loaded;
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const core = kubeConfig.makeApiClient(CoreApi);
  const apis = kubeConfig.makeApiClient(ApisApi);
  const cluster: ClusterContext = { server: loaded.server, context: loaded.context };
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  async function call<T>(request: RequestContext, run: () => Promise<T>): Promise<T> {
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = options.clock.setTimeout(() => reject(unreachable(cluster, `no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      throw explainApiError(error, request, cluster);
    } finally {
      options.clock.clearTimeout(timer);
    }
  }

  const context = (verb: string, ref: Omit<ObjectRef, 'name'> & { name?: string }): RequestContext => ({
    verb,
    resource: resourceName(ref.apiVersion, ref.kind),
    namespace: ref.namespace,
    ...(ref.name === undefined ? {} : { name: ref.name, object: describeRef(ref as ObjectRef) }),
  });

  const header = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });

  return {
    server: loaded.server,
    context: loaded.context,

    async groupVersions() {
      const request: RequestContext = { verb: 'get', resource: 'API discovery (/api, /apis)' };
      const coreVersions = await call(request, () => core.getAPIVersions());
      const groups = await call(request, () => apis.getAPIVersions());
      return [...coreVersions.versions, ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
    },

    async get(ref) {
      try {
        return plain<KubeObject>(await call(context('get', ref), () => objects.read(header(ref))));
      } catch (error) {
        if ((error as { code?: string }).code === 'not_found') return undefined;
        throw error;
      }
    },

    async list(apiVersion, kind, namespace, labelSelector) {
      const list = await call(context('list', { apiVersion, kind, namespace }), () =>
        objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector),
      );
      const json = plain<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>(list);
      return {
        items: (json.items ?? []).map((item) => ({ ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? kind })),
        resourceVersion: json.metadata?.resourceVersion ?? '',
      };
    },

    async apply(object, applyOptions: ApplyOptions) {
      const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
      const verb = 'patch';
      const result = await call(context(verb, ref), () =>
        objects.patch(
          structuredClone(object) as KubernetesObject,
          undefined,
          applyOptions.dryRun ? 'All' : undefined,
          applyOptions.fieldManager,
          applyOptions.force,
          PatchStrategy.ServerSideApply,
        ),
      );
      return plain<KubeObject>(result);
    },

    async delete(ref, deleteOptions) {
      try {
        await call(context('delete', ref), () =>
          objects.delete(header(ref), undefined, deleteOptions.dryRun ? 'All' : undefined, undefined, undefined, 'Background'),
        );
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'not_found') return false;
        throw error;
      }
    },

    async watch(apiVersion, kind, namespace, watchOptions, onEvent, onDone): Promise<WatchHandle> {
      const watcher = new Watch(kubeConfig);
      let stopped = false;
      const controller = await watcher.watch(
        collectionPath(apiVersion, kind, namespace),
        { labelSelector: watchOptions.labelSelector, resourceVersion: watchOptions.resourceVersion, allowWatchBookmarks: true },
        (type: string, object: unknown) => {
          if (!stopped) onEvent(type as WatchEventType, plain<KubeObject>(object));
        },
        (error: unknown) => {
          if (!stopped) onDone(error === null || error === undefined ? undefined : explainApiError(error, context('watch', { apiVersion, kind, namespace }), cluster));
        },
      );
      return {
        stop() {
          stopped = true;
          controller.abort();
        },
      };
    },
  };
}
