/**
 * `switchyard deploy`, `status`, `rollback` and `delete` end to end, with the real @kubernetes/client-node
 * against a loopback Kubernetes API server that speaks the real protocol (HTTPS, discovery, server-side apply,
 * watch, Status errors; test/helpers/fake-kube-apiserver). It is not a cluster: Knative's controller is a
 * stand-in that marks Services Ready and makes Revisions the way Knative does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  connectCluster,
  deployGraph,
  type DeployEvent,
  type KubeObject,
} from '../../runtime/engine/kubernetes/index.ts';
import { realClock } from '../../runtime/time/index.ts';
import { compileVariant, FIXTURE_GRAPH, runCli, startCluster, writeVariant, type Cluster } from '../helpers/fake-kube-apiserver/cluster-fixture.ts';
import type { Json, RbacRule } from '../helpers/fake-kube-apiserver/index.ts';

const KSVC = 'serving.knative.dev/v1';
const NS = 'switchyard';

let cluster: Cluster;
beforeAll(async () => {
  // Everything below runs as the deployer's Role in manifests/base allows, and nothing more: the RBAC suffices.
  cluster = await startCluster({ rules: await deployerRole() });
});
afterAll(() => cluster.close());

async function deployerRole(): Promise<RbacRule[]> {
  const docs = parseAllDocuments(await readFile(path.resolve('manifests/base/deployer-rbac.yaml'), 'utf8')) as Array<{ toJS(): any }>;
  return docs.map((d) => d.toJS()).find((d) => d.kind === 'Role').rules as RbacRule[];
}

const cli = (...args: string[]) => runCli([...args, '--kubeconfig', cluster.kubeconfig], {});
const deployArgs = (file: string, ...more: string[]) => ['deploy', file, '--build-dir', path.join(cluster.dir, 'build'), ...more];
const svc = (name: string) => cluster.api.get(KSVC, 'Service', NS, name) as Json & { spec: any; status: any; metadata: any };

/** Deploys already-compiled objects through the library (no compile step), collecting its events. */
async function deployObjects(objects: KubeObject[], graph = 'shop', dryRun = false): Promise<DeployEvent[]> {
  const events: DeployEvent[] = [];
  const api = connectCluster({ kubeconfig: cluster.kubeconfig, env: {}, clock: realClock });
  await deployGraph(api, { graph, namespace: NS, objects, dryRun, wait: true, timeoutMs: 20_000, clock: realClock, onEvent: (e) => events.push(e) });
  return events;
}

function withImage(objects: KubeObject[], image: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Service') return o;
    const copy = structuredClone(o) as any;
    copy.spec.template.spec.containers[0].image = image;
    return copy;
  });
}

describe('switchyard deploy / status / rollback / delete against a loopback Kubernetes API server', () => {
  it('applies config, then the functions (waiting for Ready), then the orchestrator, and prints its URL', async () => {
    const run = await cli(...deployArgs(FIXTURE_GRAPH));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(at(/created\s+ConfigMap shop-plan/)).toBeGreaterThan(at(/^config$/));
    expect(at(/shop-model-a\s+ready\s+shop-model-a-00001/)).toBeGreaterThan(at(/created\s+Service shop-model-a/));
    expect(at(/^orchestrator$/)).toBeGreaterThan(at(/shop-model-b\s+ready/));
    expect(at(/shop-orchestrator\s+ready/)).toBeGreaterThan(at(/created\s+Service shop-orchestrator/));
    expect(run.stdout).toContain('7 objects: 7 created, 0 configured, 0 unchanged; 0 pruned');
    expect(run.stdout).toContain('graph "shop" is ready at http://shop-orchestrator.switchyard.example.com');

    const applies = cluster.api.requests.filter((r) => r.method === 'PATCH');
    expect(applies.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual([
      'configmaps/shop-model-a-bundle',
      'configmaps/shop-model-b-bundle',
      'configmaps/shop-orchestrator-bundle',
      'configmaps/shop-plan',
      'services/shop-model-a',
      'services/shop-model-b',
      'services/shop-orchestrator',
    ]);
    for (const r of applies) expect(r).toMatchObject({ contentType: 'application/apply-patch+yaml', query: { fieldManager: 'switchyard', force: 'true' } });
    expect(svc('shop-model-a').metadata.labels).toMatchObject({ 'switchyard.dev/graph': 'shop', 'networking.knative.dev/visibility': 'cluster-local' });
    expect(svc('shop-model-a').spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
  });

  it('changes nothing when the same graph is deployed again: every object unchanged, no resourceVersion moves', async () => {
    const before = cluster.api.store.revision;
    const run = await cli(...deployArgs(FIXTURE_GRAPH));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('7 objects: 0 created, 0 configured, 7 unchanged; 0 pruned');
    expect(cluster.api.store.revision).toBe(before);
  });

  it('--dry-run uses the server\'s dry run, says what would change and changes nothing', async () => {
    const before = cluster.api.store.revision;
    const requests = cluster.api.requests.length;
    const run = await cli(...deployArgs(FIXTURE_GRAPH, '--dry-run', '--image', 'registry.example/runtime:2'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/would configure\s+Service shop-model-a {2}\(spec\.template\.spec\.containers\)/);
    expect(run.stdout).toMatch(/unchanged\s+ConfigMap shop-plan/);
    expect(run.stdout).toContain('7 objects: 0 would be created, 3 would be configured, 4 unchanged; 0 would be pruned');
    expect(cluster.api.store.revision).toBe(before);
    const patches = cluster.api.requests.slice(requests).filter((r) => r.method === 'PATCH');
    expect(patches.length).toBeGreaterThan(0);
    for (const r of patches) expect(r.query['dryRun']).toBe('All');
  });

  it('status shows each Service\'s readiness, revisions, traffic and replicas, from a graph name or file', async () => {
    const byName = await cli('status', 'shop', '--namespace', NS);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('url: http://shop-orchestrator.switchyard.example.com');
    expect(byName.stdout).toMatch(/shop-model-a\s+True\s+shop-model-a-00001\s+shop-model-a-00001\s+shop-model-a-00001 100% \(latest\)\s+1\/1/);
    const byFile = await cli('status', FIXTURE_GRAPH, '--json');
    const json = JSON.parse(byFile.stdout) as { services: Array<{ name: string; readiness: { state: string } }> };
    expect(json.services.map((s) => [s.name, s.readiness.state])).toEqual([
      ['shop-model-a', 'ready'],
      ['shop-model-b', 'ready'],
      ['shop-orchestrator', 'ready'],
    ]);
  });

  it('takes spec.traffic back from another field manager (an atomic list: the apply forces)', async () => {
    const live = svc('shop-model-b');
    const edited = { ...live, spec: { ...live.spec, traffic: [{ latestRevision: true, percent: 100, tag: 'edited' }] } };
    const { updateAs } = await import('../helpers/fake-kube-apiserver/apply.ts');
    cluster.api.store.put(cluster.api.type(KSVC, 'Service'), updateAs(live, edited, 'kubectl-edit', new Date().toISOString()));
    const events = await deployObjects((await compileVariant(cluster.dir, {})).objects);
    expect(events).toContainEqual(expect.objectContaining({ type: 'applied', outcome: 'configured', changes: ['spec.traffic'], ref: expect.objectContaining({ name: 'shop-model-b' }) }));
    const owners = (svc('shop-model-b').metadata.managedFields as Array<{ manager: string; fieldsV1: any }>).filter((f) => f.fieldsV1['f:spec']?.['f:traffic'] !== undefined);
    expect(owners.map((f) => f.manager)).toEqual(['switchyard']);
  });

  it('rollback sends each function\'s traffic to its previous ready revision; the next deploy makes the latest live again', async () => {
    const { objects } = await compileVariant(cluster.dir, {});
    await deployObjects(withImage(objects, 'registry.example/runtime:2'));
    expect(svc('shop-model-a').status.latestReadyRevisionName).toBe('shop-model-a-00002');

    const run = await cli('rollback', 'shop', '-n', NS);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shop-model-a: all traffic now goes to shop-model-a-00001 (was shop-model-a-00002)');
    expect(svc('shop-model-a').spec.traffic).toEqual([{ revisionName: 'shop-model-a-00001', latestRevision: false, percent: 100 }]);
    const specTrafficOwner = (object: Json & { metadata: any }) =>
      (object.metadata.managedFields as Array<{ manager: string; fieldsV1: any }>).filter((f) => f.fieldsV1['f:spec']?.['f:traffic'] !== undefined).map((f) => f.manager);
    expect(specTrafficOwner(svc('shop-model-a'))).toEqual(['switchyard-rollback']);
    await expect.poll(() => svc('shop-model-a').status.traffic).toEqual([{ revisionName: 'shop-model-a-00001', latestRevision: false, percent: 100 }]);
    expect((await cli('status', 'shop', '-n', NS)).stdout).toMatch(/shop-model-a\s+True\s+shop-model-a-00002\s+shop-model-a-00002\s+shop-model-a-00001 100%\s/);

    const events = await deployObjects(withImage(objects, 'registry.example/runtime:2'));
    expect(events.filter((e) => e.type === 'applied' && e.outcome === 'configured').map((e) => (e as { ref: { name: string } }).ref.name)).toEqual([
      'shop-model-a',
      'shop-model-b',
      'shop-orchestrator',
    ]);
    await expect.poll(() => svc('shop-model-a').status.traffic).toEqual([{ revisionName: 'shop-model-a-00002', latestRevision: true, percent: 100 }]);
  });

  it('prunes what an earlier deploy of the graph made and this one no longer has, and nothing else', async () => {
    const other = await compileVariant(cluster.dir, { name: 'other' });
    await deployObjects(other.objects, 'other');
    const smaller = await compileVariant(cluster.dir, { withoutModelB: true });
    const events = await deployObjects(smaller.objects);
    expect(events.filter((e) => e.type === 'pruned').map((e) => `${(e as any).ref.kind} ${(e as any).ref.name}`)).toEqual([
      'Service shop-model-b',
      'ConfigMap shop-model-b-bundle',
    ]);
    expect(svc('shop-model-b')).toBeUndefined();
    expect(cluster.api.get(KSVC, 'Revision', NS, 'shop-model-b-00001')).toBeUndefined();
    expect(svc('other-model-b')).toBeDefined();
    expect(cluster.api.get('v1', 'ConfigMap', NS, 'other-model-b-bundle')).toBeDefined();
  });

  it('a canary gives the new revision its share and the previous ready revision the rest; status shows the split', async () => {
    const canary = await compileVariant(cluster.dir, { canary: 20, name: 'canary' });
    const first = await deployObjects(canary.objects, 'canary');
    expect(first).toContainEqual(expect.objectContaining({ type: 'applied', note: 'canary: no earlier ready revision, so the new revision gets all traffic' }));
    expect(svc('canary-model-a').spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);

    const second = await deployObjects(withImage(canary.objects, 'registry.example/runtime:2'), 'canary');
    expect(second).toContainEqual(expect.objectContaining({ type: 'applied', note: 'canary: 20% to the latest revision, 80% to canary-model-a-00001' }));
    expect(svc('canary-model-a').spec.traffic).toEqual([
      { tag: 'canary', latestRevision: true, percent: 20 },
      { tag: 'stable', latestRevision: false, percent: 80, revisionName: 'canary-model-a-00001' },
    ]);
    const status = await cli('status', 'canary', '-n', NS);
    expect(status.stdout).toContain('canary: canary-model-a-00002 20% (latest); stable: canary-model-a-00001 80%');

    const before = cluster.api.store.revision;
    const third = await deployObjects(withImage(canary.objects, 'registry.example/runtime:2'), 'canary');
    expect(third.filter((e) => e.type === 'applied').every((e) => (e as { outcome: string }).outcome === 'unchanged')).toBe(true);
    expect(cluster.api.store.revision).toBe(before);

    await cli('rollback', 'canary', '-n', NS);
    await expect.poll(() => svc('canary-model-a').status.traffic).toEqual([{ revisionName: 'canary-model-a-00001', latestRevision: false, percent: 100 }]);
  });

  it('keeps a Redis state URL in a Secret that the orchestrator reads, and never prints it', async () => {
    const dir = path.join(cluster.dir, 'redis');
    const file = await writeVariant(cluster.dir, { name: 'cache', redisUrl: 'redis://redis.cache.svc:6379' }, 'redis.yaml');
    const url = 'redis://:s3cret-pw@redis.cache.svc:6379/2';
    const run = await cli('deploy', file, '--build-dir', dir, '--state-url', url);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created\s+Secret cache-state {2}\(value not shown\)/);
    const secret = cluster.api.get('v1', 'Secret', NS, 'cache-state') as { data: Record<string, string>; metadata: { labels: Record<string, string> } };
    expect(Buffer.from(secret.data['state']!, 'base64').toString()).toBe(url);
    expect(secret.metadata.labels['switchyard.dev/graph']).toBe('cache');
    const env = svc('cache-orchestrator').spec.template.spec.containers[0].env as Array<Record<string, unknown>>;
    expect(env).toContainEqual({ name: 'SWITCHYARD_STATE', valueFrom: { secretKeyRef: { name: 'cache-state', key: 'state' } } });

    const dry = await cli('deploy', file, '--build-dir', dir, '--state-url', 'redis://:other-pw@redis.cache.svc:6379/2', '--dry-run');
    expect(dry.stdout).toMatch(/would configure\s+Secret cache-state {2}\(data\.state\) {2}\(value not shown\)/);
    for (const out of [run.stdout, run.stderr, dry.stdout, dry.stderr]) {
      expect(out).not.toContain('s3cret-pw');
      expect(out).not.toContain('other-pw');
    }
  });

  it('deploys a graph with a remote node: no Service for it, its URL in the orchestrator\'s plan, status and delete as usual', async () => {
    const file = await writeVariant(cluster.dir, { name: 'mixed', remoteModelB: 'http://sklearn-iris.models.svc.cluster.local' }, 'mixed.yaml');
    const run = await cli('deploy', file, '--build-dir', path.join(cluster.dir, 'mixed'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const services = (cluster.api.list(KSVC, 'Service', NS) as Array<{ metadata: { name: string } }>).map((s) => s.metadata.name).filter((n) => n.startsWith('mixed-'));
    expect(services.sort()).toEqual(['mixed-model-a', 'mixed-orchestrator']);
    const plan = JSON.parse((cluster.api.get('v1', 'ConfigMap', NS, 'mixed-plan') as { data: Record<string, string> }).data['plan.json']!);
    expect(plan.nodes['model-b'].implementation).toMatchObject({ kind: 'remote', url: 'http://sklearn-iris.models.svc.cluster.local', protocol: 'v2' });
    const status = await cli('status', 'mixed', '--namespace', NS);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('mixed-orchestrator');
    const deleted = await cli('delete', 'mixed', '--namespace', NS);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('deleted  Service mixed-orchestrator');
  });

  it('leaves a state Secret that someone else made as it is', async () => {
    const ours = cluster.api.type('v1', 'Secret');
    cluster.api.store.put(ours, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mine-state', namespace: NS }, data: { state: Buffer.from('redis://:theirs@r:6379').toString('base64') } });
    const mine = await compileVariant(cluster.dir, { name: 'mine', redisUrl: 'redis://r:6379' });
    const api = connectCluster({ kubeconfig: cluster.kubeconfig, env: {}, clock: realClock });
    const events: DeployEvent[] = [];
    await deployGraph(api, {
      graph: 'mine', namespace: NS, objects: mine.objects, dryRun: false, wait: true, timeoutMs: 20_000, clock: realClock, onEvent: (e) => events.push(e),
      stateSecret: { name: 'mine-state', key: 'state', value: 'redis://r:6379', labels: { 'switchyard.dev/graph': 'mine' } },
    });
    expect(events).toContainEqual({ type: 'secret-kept', ref: { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'mine-state' } });
    const secret = cluster.api.get('v1', 'Secret', NS, 'mine-state') as { data: Record<string, string> };
    expect(Buffer.from(secret.data['state']!, 'base64').toString()).toBe('redis://:theirs@r:6379');
  });

  it('delete removes every object of the graph with background propagation, and says so when there is none', async () => {
    const mark = cluster.api.requests.length;
    const run = await cli('delete', FIXTURE_GRAPH);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual(['  deleted  Service shop-orchestrator', '  deleted  Service shop-model-a', '  deleted  ConfigMap shop-model-a-bundle']);
    const deletes = cluster.api.requests.slice(mark).filter((r) => r.method === 'DELETE');
    expect(deletes.length).toBe(5);
    for (const r of deletes) expect(r.query['propagationPolicy']).toBe('Background');
    expect(cluster.api.list(KSVC, 'Revision', NS).filter((r) => String((r['metadata'] as Json)['name']).startsWith('shop-'))).toEqual([]);
    expect(svc('other-orchestrator')).toBeDefined();

    const again = await cli('delete', 'shop', '-n', NS);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no graph "shop" in namespace "switchyard"');
  });
});
