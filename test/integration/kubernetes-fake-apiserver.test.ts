/**
 * The loopback Kubernetes API server that the deployer's tests use, checked with the real @kubernetes/client-node
 * over HTTPS: discovery, server-side apply with field managers (ownership, conflicts, force, removal, dry run),
 * label selectors, watch streams, deletion with propagation policies, and the Status errors. If the fake drifted
 * from the protocol, the deployer's tests would prove nothing; these pin what it does.
 */
import { ApisApi, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKnativeController, FakeKubeApiServer } from '../helpers/fake-kube-apiserver/index.ts';

let api: FakeKubeApiServer;
let client: KubernetesObjectApi;
let kc: KubeConfig;

beforeAll(async () => {
  api = await FakeKubeApiServer.start();
  kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  client = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(() => api.close());

type Obj = KubernetesObject & Record<string, unknown>;
const apply = (object: Obj, manager: string, options: { force?: boolean; dryRun?: boolean } = {}) =>
  client.patch(structuredClone(object), undefined, options.dryRun ? 'All' : undefined, manager, options.force ?? false, PatchStrategy.ServerSideApply) as Promise<Obj>;

async function failure(run: () => Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await run();
  } catch (error) {
    const e = error as { code: number; body: unknown };
    let body = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = { text: body };
      }
    }
    return { code: e.code, body: body as Record<string, unknown> };
  }
  throw new Error('expected the request to fail');
}

const service = (name: string, extra: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'switchyard', labels: { 'switchyard.dev/graph': 'g' } },
  spec: { template: { spec: { containers: [{ image: 'img:1' }] } }, ...extra },
});

describe('the fake kube-apiserver', () => {
  it('serves discovery: core v1 and serving.knative.dev/v1 with their resources', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.preferredVersion?.groupVersion)).toEqual(['serving.knative.dev/v1']);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: 'switchyard' }, data: {} };
    await apply(cm, 'm');
    expect(api.requests.some((r) => r.path === '/api/v1' && r.status === 200)).toBe(true);
  });

  it('creates with server-side apply, records the manager, and changes nothing when the same body is applied again', async () => {
    const cm: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'switchyard' }, data: { x: '1' } };
    const first = await apply(cm, 'one');
    const second = await apply(cm, 'one');
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(first.metadata?.managedFields?.map((f) => [f.manager, f.operation, f.fieldsV1])).toEqual([['one', 'Apply', { 'f:data': { 'f:x': {} } }]]);
    const last = api.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'PATCH', contentType: 'application/apply-patch+yaml', query: { fieldManager: 'one', force: 'false' } });
  });

  it('answers a conflict with another manager with 409 unless the apply forces, and then moves ownership', async () => {
    await apply(service('conflict', { traffic: [{ latestRevision: true, percent: 100 }] }), 'one');
    const theirs = service('conflict', { traffic: [{ latestRevision: true, percent: 50 }, { revisionName: 'x', percent: 50 }] });
    const conflict = await failure(() => apply(theirs, 'two'));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({ kind: 'Status', reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "one" using serving.knative.dev/v1: .spec.traffic' });
    const forced = await apply(theirs, 'two', { force: true });
    const owners = Object.fromEntries(forced.metadata!.managedFields!.map((f) => [f.manager, JSON.stringify(f.fieldsV1)]));
    expect(owners['two']).toContain('f:traffic');
    expect(owners['one']).not.toContain('f:traffic');
  });

  it('removes a field its manager stops applying, but not one another manager owns too', async () => {
    const cm: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'switchyard' }, data: { keep: '1', drop: '2' } };
    await apply(cm, 'one');
    await apply({ ...cm, data: { keep: '1' } }, 'two');
    const after = await apply({ ...cm, data: {} as Record<string, string>, metadata: { ...cm.metadata!, labels: { a: 'b' } } }, 'one');
    expect(after['data']).toEqual({ keep: '1' });
  });

  it('does not store a dry run, and bumps generation only when the spec changes', async () => {
    const created = await apply(service('gen'), 'one');
    expect(created.metadata?.generation).toBe(1);
    const revision = api.store.revision;
    const dry = await apply(service('gen', { traffic: [{ latestRevision: true, percent: 100 }] }), 'one', { dryRun: true });
    expect(dry.metadata?.generation).toBe(2);
    expect(api.store.revision).toBe(revision);
    const labelled = await apply({ ...service('gen'), metadata: { ...service('gen').metadata!, labels: { more: 'x' } } }, 'one');
    expect(labelled.metadata?.generation).toBe(1);
  });

  it('refuses a body that does not fit the CRD with the 500 "failed to create typed patch object", and a bad quantity with 422', async () => {
    const typo = service('typo');
    (typo['spec'] as any).template.spec.containerConcurency = 4;
    const bad = await failure(() => apply(typo, 'one'));
    expect(bad.code).toBe(500);
    expect(bad.body['message']).toBe(
      'failed to create typed patch object (switchyard/typo; serving.knative.dev/v1, Kind=Service): .spec.template.spec.containerConcurency: field not declared in schema',
    );
    const quantity = service('quantity');
    (quantity['spec'] as any).template.spec.containers[0].resources = { limits: { cpu: 'lots' } };
    const invalid = await failure(() => apply(quantity, 'one'));
    expect(invalid.code).toBe(422);
    expect(invalid.body).toMatchObject({ reason: 'Invalid', details: { causes: [{ field: 'spec.template.spec.containers[0].resources.limits.cpu' }] } });
  });

  it('lists by label selector (equality, inequality, set and existence)', async () => {
    for (const [name, labels] of [['l1', { app: 'x', tier: 'a' }], ['l2', { app: 'x', tier: 'b' }], ['l3', { app: 'y' }]] as const) {
      await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data: {} }, 'one');
    }
    const names = async (selector: string) => (await client.list('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, selector)).items.map((i) => i.metadata?.name);
    expect(await names('app=x')).toEqual(['l1', 'l2']);
    expect(await names('app=x,tier!=a')).toEqual(['l2']);
    expect(await names('tier in (a,b)')).toEqual(['l1', 'l2']);
    expect(await names('!tier')).toEqual(['l3']);
  });

  it('streams watch events from a resourceVersion, filtered by label', async () => {
    const list = await client.list('serving.knative.dev/v1', 'Service', 'switchyard');
    const events: string[] = [];
    const controller = await new Watch(kc).watch(
      '/apis/serving.knative.dev/v1/namespaces/switchyard/services',
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'switchyard.dev/graph=g' },
      (type, object) => events.push(`${type} ${object.metadata.name}`),
      () => {},
    );
    await apply(service('watched'), 'one');
    await apply({ ...service('other'), metadata: { name: 'other', namespace: 'switchyard' } }, 'one');
    new FakeKnativeController(api).reconcile('switchyard', 'watched');
    await expect.poll(() => events).toEqual(['ADDED watched', 'MODIFIED watched']);
    controller.abort();
  });

  it('deletes in the background with dependents, and leaves a foreground delete hanging on its finalizer', async () => {
    await apply(service('doomed'), 'one');
    new FakeKnativeController(api).reconcile('switchyard', 'doomed');
    expect(api.get('serving.knative.dev/v1', 'Revision', 'switchyard', 'doomed-00001')).toBeDefined();
    await client.delete({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'doomed', namespace: 'switchyard' } }, undefined, undefined, undefined, undefined, 'Background');
    expect(api.get('serving.knative.dev/v1', 'Service', 'switchyard', 'doomed')).toBeUndefined();
    expect(api.get('serving.knative.dev/v1', 'Revision', 'switchyard', 'doomed-00001')).toBeUndefined();
    expect(api.get('serving.knative.dev/v1', 'Configuration', 'switchyard', 'doomed')).toBeUndefined();

    await apply(service('stuck'), 'one');
    await client.delete({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'stuck', namespace: 'switchyard' } }, undefined, undefined, undefined, undefined, 'Foreground');
    expect(api.get('serving.knative.dev/v1', 'Service', 'switchyard', 'stuck')?.['metadata']).toMatchObject({ finalizers: ['foregroundDeletion'] });
  });

  it('answers 404, 403 and 401 with real Status objects', async () => {
    const missing = await failure(() => client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope', namespace: 'switchyard' } }));
    expect(missing).toEqual({ code: 404, body: expect.objectContaining({ reason: 'NotFound', message: 'configmaps "nope" not found' }) });
    api.deny({ verb: 'get', resource: 'configmaps' });
    const denied = await failure(() => client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'switchyard' } }));
    api.allowAll();
    expect(denied.code).toBe(403);
    expect(denied.body['message']).toBe(
      'configmaps "a" is forbidden: User "system:serviceaccount:switchyard:switchyard-deployer" cannot get resource "configmaps" in API group "" in the namespace "switchyard"',
    );
    const wrong = new KubeConfig();
    wrong.loadFromString(api.kubeconfig({ token: 'wrong' }));
    const unauthorized = await failure(() => KubernetesObjectApi.makeApiClient(wrong).read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'switchyard' } }));
    expect(unauthorized.code).toBe(401);
  });

  it('enforces a Role\'s rules as an allow-list when given them', async () => {
    const strict = await FakeKubeApiServer.start({ rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'patch'] }] });
    try {
      const config = new KubeConfig();
      config.loadFromString(strict.kubeconfig());
      const objects = KubernetesObjectApi.makeApiClient(config);
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r', namespace: 'switchyard' }, data: {} };
      const create = await failure(() => objects.patch(cm, undefined, undefined, 'm', true, PatchStrategy.ServerSideApply));
      expect(create.body['message']).toContain('cannot create resource "configmaps"');
      strict.store.put(strict.type('v1', 'ConfigMap'), { ...cm, metadata: { ...cm.metadata } });
      expect((await objects.read(cm)).metadata?.name).toBe('r');
      expect((await failure(() => objects.list('v1', 'ConfigMap', 'switchyard'))).code).toBe(403);
    } finally {
      await strict.close();
    }
  });

  it('without Knative installed, has no serving.knative.dev group and answers its paths with "404 page not found"', async () => {
    const bare = await FakeKubeApiServer.start({ knative: false });
    try {
      const config = new KubeConfig();
      config.loadFromString(bare.kubeconfig());
      expect((await config.makeApiClient(ApisApi).getAPIVersions()).groups).toEqual([]);
      const objects = KubernetesObjectApi.makeApiClient(config);
      const notServed = await failure(() => objects.read({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 's', namespace: 'switchyard' } }));
      expect(notServed).toEqual({ code: 404, body: { text: '404 page not found\n' } });
      expect(bare.requests.at(-1)).toMatchObject({ path: '/apis/serving.knative.dev/v1', status: 404 });
    } finally {
      await bare.close();
    }
  });
});
