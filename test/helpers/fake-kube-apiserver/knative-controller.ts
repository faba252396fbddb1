/**
 * @module What Knative Serving's controller would write, on a test's request: the fake apiserver runs no
 * controllers (like the bare apiserver of DESIGN.md), so a test decides when and how each Knative Service
 * reconciles.
 *
 * `reconcile(namespace, name, outcome)` does what the controller does for one Service: a new Revision
 * (`<name>-0000N`, labelled `serving.knative.dev/service` and `configurationGeneration`, owned by the
 * Configuration, which the Service owns) when the template changed; then the Revision's and the Service's status:
 * conditions (`Ready` True, False with a reason and message, or Unknown), `observedGeneration`,
 * `latestCreatedRevisionName`, `latestReadyRevisionName`, `url`, `address` and `traffic` resolved from
 * `spec.traffic`. Revision status carries `actualReplicas`/`desiredReplicas`.
 *
 * In `auto` mode every spec change of a Service reconciles on the next tick, with the outcome set for that
 * Service by `setOutcome` (Ready by default). Status is written as an Update by the manager `controller`.
 */
import { updateAs } from './apply.ts';
import { deepEqual } from './field-set.ts';
import type { FakeKubeApiServer } from './server.ts';
import type { Json } from './store.ts';

export type Outcome =
  | { ready: true; replicas?: number }
  | { ready: false; reason: string; message: string }
  | { ready: 'unknown'; reason: string; message: string };

const API = 'serving.knative.dev/v1';
export const SERVICE_LABEL = 'serving.knative.dev/service';
export const GENERATION_LABEL = 'serving.knative.dev/configurationGeneration';

const meta = (o: Json) => o['metadata'] as Json;
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function condition(type: string, status: 'True' | 'False' | 'Unknown', reason?: string, message?: string): Json {
  return { type, status, lastTransitionTime: nowIso(), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export class FakeKnativeController {
  readonly #api: FakeKubeApiServer;
  readonly #domain: string;
  readonly #outcomes = new Map<string, Outcome>();
  readonly #templates = new Map<string, unknown>();
  #unsubscribe: (() => void) | undefined;

  constructor(api: FakeKubeApiServer, options: { mode?: 'manual' | 'auto'; domain?: string } = {}) {
    this.#api = api;
    this.#domain = options.domain ?? 'example.com';
    if (options.mode === 'auto' && api.registry.byKind(API, 'Service') !== undefined) {
      const serviceType = api.type(API, 'Service');
      this.#unsubscribe = api.store.onEvent((event) => {
        if (event.resource !== serviceType || event.type === 'DELETED') return;
        const m = meta(event.object);
        const observed = (event.object['status'] as Json | undefined)?.['observedGeneration'];
        if (observed === m['generation']) return;
        setImmediate(() => {
          if (this.#api.get(API, 'Service', String(m['namespace']), String(m['name'])) === undefined) return;
          this.reconcile(String(m['namespace']), String(m['name']));
        });
      });
    }
  }

  /** The outcome the next reconciles of Service `name` get in auto mode (and by default in `reconcile`). */
  setOutcome(name: string, outcome: Outcome): void {
    this.#outcomes.set(name, outcome);
  }

  stop(): void {
    this.#unsubscribe?.();
  }

  #write(kind: string, next: Json): Json {
    const type = this.#api.type(API, kind);
    const m = meta(next);
    const live = this.#api.store.get(type, String(m['namespace']), String(m['name']));
    return this.#api.store.put(type, live === undefined ? next : updateAs(live, next, 'controller', nowIso())).object;
  }

  #owned(kind: string, namespace: string, name: string, owner: Json, fields: Json): Json {
    const existing = this.#api.get(API, kind, namespace, name);
    const ownerRef = { apiVersion: API, kind: String(owner['kind']), name: String(meta(owner)['name']), uid: String(meta(owner)['uid']), controller: true, blockOwnerDeletion: true };
    return this.#write(kind, { ...(existing ?? { apiVersion: API, kind, metadata: { name, namespace, ownerReferences: [ownerRef] } }), ...fields });
  }

  /** Reconciles one Service as Knative's controller would; returns the Service as stored after. */
  reconcile(namespace: string, name: string, outcome: Outcome = this.#outcomes.get(name) ?? { ready: true }): Json {
    const service = this.#api.get(API, 'Service', namespace, name);
    if (service === undefined) throw new Error(`no Knative Service ${namespace}/${name}`);
    const spec = service['spec'] as Json;
    const template = spec['template'] as Json;
    const config = this.#owned('Configuration', namespace, name, service, { spec: { template } });

    const revisions = this.#api
      .list(API, 'Revision', namespace)
      .filter((r) => (meta(r)['labels'] as Json | undefined)?.[SERVICE_LABEL] === name)
      .sort((a, b) => Number((meta(a)['labels'] as Json)[GENERATION_LABEL]) - Number((meta(b)['labels'] as Json)[GENERATION_LABEL]));
    let latest = revisions.at(-1);
    if (latest === undefined || !deepEqual(this.#templates.get(`${namespace}/${meta(latest)['name']}`), template)) {
      const generation = revisions.length + 1;
      const revisionName = `${name}-${String(generation).padStart(5, '0')}`;
      const templateMeta = (template['metadata'] ?? {}) as Json;
      latest = this.#owned('Revision', namespace, revisionName, config, {
        metadata: {
          name: revisionName,
          namespace,
          labels: { ...((templateMeta['labels'] ?? {}) as Json), [SERVICE_LABEL]: name, 'serving.knative.dev/configuration': name, [GENERATION_LABEL]: String(generation) },
          annotations: { ...((templateMeta['annotations'] ?? {}) as Json) },
          ownerReferences: [{ apiVersion: API, kind: 'Configuration', name, uid: String(meta(config)['uid']), controller: true, blockOwnerDeletion: true }],
        },
        spec: template['spec'],
      });
      this.#templates.set(`${namespace}/${revisionName}`, structuredClone(template));
    }
    const latestName = String(meta(latest)['name']);
    const replicas = outcome.ready === true ? (outcome.replicas ?? 1) : 0;
    const revisionReady = outcome.ready === true ? 'True' : outcome.ready === false ? 'False' : 'Unknown';
    this.#write('Revision', {
      ...latest,
      status: {
        observedGeneration: 1,
        actualReplicas: replicas,
        desiredReplicas: outcome.ready === true ? replicas : 1,
        conditions: [
          condition('Ready', revisionReady, outcome.ready === true ? undefined : outcome.reason, outcome.ready === true ? undefined : outcome.message),
          condition('ResourcesAvailable', revisionReady),
          condition('ContainerHealthy', revisionReady),
        ],
      },
    });
    return this.#writeServiceStatus(service, latestName, outcome);
  }

  #writeServiceStatus(service: Json, latestName: string, outcome: Outcome): Json {
    const m = meta(service);
    const namespace = String(m['namespace']);
    const name = String(m['name']);
    const before = (service['status'] ?? {}) as Json;
    const latestReady = outcome.ready === true ? latestName : (before['latestReadyRevisionName'] as string | undefined);
    const clusterLocal = (m['labels'] as Json | undefined)?.['networking.knative.dev/visibility'] === 'cluster-local';
    const host = clusterLocal ? `${name}.${namespace}.svc.cluster.local` : `${name}.${namespace}.${this.#domain}`;

    const wanted = ((service['spec'] as Json)['traffic'] ?? [{ latestRevision: true, percent: 100 }]) as Json[];
    const revisions = new Set(this.#api.list(API, 'Revision', namespace).map((r) => meta(r)['name']));
    const missing = wanted.find((t) => t['latestRevision'] !== true && !revisions.has(t['revisionName']));
    const traffic = latestReady === undefined ? undefined : wanted.map((t) => ({
      ...(t['tag'] === undefined ? {} : { tag: t['tag'], url: `http://${String(t['tag'])}-${host}` }),
      revisionName: t['latestRevision'] === true ? latestReady : t['revisionName'],
      latestRevision: t['latestRevision'] === true,
      percent: t['percent'] ?? 0,
    }));

    let ready: Json;
    if (missing !== undefined) {
      ready = condition('Ready', 'False', 'RevisionMissing', `Revision "${String(missing['revisionName'])}" referenced in traffic not found.`);
    } else if (outcome.ready === true) {
      ready = condition('Ready', 'True');
    } else if (outcome.ready === false) {
      ready = condition('Ready', 'False', 'RevisionFailed', `Revision "${latestName}" failed with message: ${outcome.message}.`);
    } else {
      ready = condition('Ready', 'Unknown', 'RevisionMissing', `Configuration "${name}" is waiting for a Revision to become ready.`);
    }
    const configReady = outcome.ready === true ? 'True' : outcome.ready === false ? 'False' : 'Unknown';
    return this.#write('Service', {
      ...service,
      status: {
        observedGeneration: m['generation'],
        latestCreatedRevisionName: latestName,
        ...(latestReady === undefined ? {} : { latestReadyRevisionName: latestReady }),
        url: `http://${host}`,
        address: { url: `http://${name}.${namespace}.svc.cluster.local` },
        ...(traffic === undefined ? {} : { traffic }),
        conditions: [
          condition('ConfigurationsReady', configReady, ready['reason'] as string | undefined, ready['message'] as string | undefined),
          ready,
          condition('RoutesReady', missing === undefined && latestReady !== undefined ? 'True' : 'Unknown'),
        ],
      },
    });
  }
}
