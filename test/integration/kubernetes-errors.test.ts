/**
 * Everything that can stop `switchyard deploy`, each answered with what happened, what to do, and a non-zero
 * exit: no kubeconfig, an unknown context, an unreachable cluster, refused credentials, Knative not installed,
 * RBAC, a missing namespace, a Service that never becomes Ready (Knative's reason), the wait's deadline, and
 * manifests the apiserver rejects (the 500 "failed to create typed patch object" and 422). The real
 * @kubernetes/client-node talks to the loopback API server of test/helpers/fake-kube-apiserver.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyObject,
  connectCluster,
  deployGraph,
  KubeDeployError,
  type DeployEvent,
  type KubeObject,
} from '../../runtime/engine/kubernetes/index.ts';
import { realClock } from '../../runtime/time/index.ts';
import { compileVariant, FIXTURE_GRAPH, runCli, startCluster, type Cluster } from '../helpers/fake-kube-apiserver/cluster-fixture.ts';
import { FakeKubeApiServer } from '../helpers/fake-kube-apiserver/index.ts';
import { ManualClock, flushMicrotasks } from '../helpers/manual-clock.ts';

const NS = 'switchyard';
let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-kube-errors-'));
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster.close();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(run: () => Promise<unknown>): Promise<KubeDeployError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof KubeDeployError) return error;
    throw error;
  }
  throw new Error('expected a KubeDeployError');
}

function deployWith(c: Cluster, objects: KubeObject[], options: { clock?: ManualClock; timeoutMs?: number; events?: DeployEvent[] } = {}) {
  const clock = options.clock ?? realClock;
  const api = connectCluster({ kubeconfig: c.kubeconfig, env: {}, clock });
  return deployGraph(api, {
    graph: 'shop', namespace: NS, objects, dryRun: false, wait: true, timeoutMs: options.timeoutMs ?? 20_000, clock,
    onEvent: (e) => options.events?.push(e),
  });
}

describe('switchyard deploy: errors say what to do', () => {
  it('no kubeconfig anywhere', async () => {
    const home = path.join(dir, 'empty-home');
    await mkdir(home, { recursive: true });
    const run = await runCli(['deploy', FIXTURE_GRAPH], { HOME: home });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✖ no kubeconfig found: --kubeconfig was not given, $KUBECONFIG is not set, ~/.kube/config does not exist');
    expect(run.stderr).toContain('→ point --kubeconfig at a kubeconfig file, set KUBECONFIG, or create ~/.kube/config');

    const missing = await runCli(['status', 'shop', '--kubeconfig', path.join(dir, 'nope')], {});
    expect(missing.stderr).toContain(`the kubeconfig file ${path.join(dir, 'nope')} (--kubeconfig) does not exist`);
    const fromEnv = await runCli(['delete', 'shop'], { KUBECONFIG: cluster.kubeconfig });
    expect(fromEnv.stderr).toContain('no graph "shop" in namespace "default"');
  });

  it('the real command reads $KUBECONFIG from its environment and exits 1 with the message on stderr', async () => {
    // Asynchronously: the fake apiserver answers from this process's event loop.
    const child = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const run = spawn(process.execPath, [path.resolve('bin/switchyard.mjs'), 'status', 'absent', '-n', NS], {
        env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
      });
      let stderr = '';
      run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      run.on('close', (status) => resolve({ status, stderr }));
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain(`✖ no graph "absent" in namespace "switchyard" of the cluster at ${cluster.api.url} (context "fake")`);
  });

  it('a context the kubeconfig does not have', async () => {
    const run = await runCli(['status', 'shop', '--kubeconfig', cluster.kubeconfig, '--context', 'prod']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no context "prod"');
    expect(run.stderr).toContain('→ use one of: fake');
  });

  it('an unreachable cluster', async () => {
    const gone = await FakeKubeApiServer.start();
    const kubeconfig = path.join(dir, 'gone-kubeconfig');
    await writeFile(kubeconfig, gone.kubeconfig());
    const url = gone.url;
    await gone.close();
    const run = await runCli(['deploy', FIXTURE_GRAPH, '--kubeconfig', kubeconfig]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`✖ cannot reach the cluster at ${url} (context "fake"): ECONNREFUSED`);
    expect(run.stderr).toContain('kubectl --context fake cluster-info');
  });

  it('credentials the cluster refuses', async () => {
    const kubeconfig = path.join(dir, 'bad-token');
    await writeFile(kubeconfig, cluster.api.kubeconfig({ token: 'expired' }));
    const run = await runCli(['status', 'shop', '--kubeconfig', kubeconfig]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`refused the credentials of context "fake" (401 Unauthorized)`);
  });

  it('a cluster without Knative Serving', async () => {
    const bare = await startCluster({ knative: false });
    try {
      const run = await runCli(['deploy', FIXTURE_GRAPH, '--kubeconfig', bare.kubeconfig]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✖ Knative Serving is not installed in the cluster at');
      expect(run.stderr).toContain('API discovery has no serving.knative.dev/v1');
      expect(run.stderr).toContain('→ install Knative Serving');
      expect(bare.api.requests.some((r) => r.method === 'PATCH')).toBe(false);
    } finally {
      await bare.close();
    }
  });

  it('RBAC that does not allow what deploy does names the verb and resource and points to the deployer RBAC', async () => {
    const { objects } = await compileVariant(dir, {});
    cluster.api.deny({ verb: 'create', resource: 'configmaps' });
    const create = await rejection(() => deployWith(cluster, objects));
    cluster.api.allowAll();
    expect(create.code).toBe('forbidden');
    expect(create.message).toContain('not allowed to create configmaps in namespace "switchyard": configmaps "shop-model-a-bundle" is forbidden: User "system:serviceaccount:switchyard:switchyard-deployer" cannot create resource "configmaps"');
    expect(create.hint).toContain('manifests/base/deployer-rbac.yaml');

    // A Service still deploying when the wait lists them: the wait must watch, and may not.
    cluster.controller.setOutcome('shop-model-a', { ready: 'unknown', reason: 'Deploying', message: 'starting' });
    cluster.api.deny({ verb: 'watch', resource: 'services', group: 'serving.knative.dev' });
    const watch = await rejection(() => deployWith(cluster, objects));
    cluster.api.allowAll();
    cluster.controller.setOutcome('shop-model-a', { ready: true });
    expect(watch.code).toBe('forbidden');
    expect(watch.message).toContain('not allowed to watch services.serving.knative.dev in namespace "switchyard"');
  });

  it('a namespace that does not exist', async () => {
    const run = await runCli(['deploy', FIXTURE_GRAPH, '--kubeconfig', cluster.kubeconfig, '--namespace', 'nowhere', '--build-dir', path.join(dir, 'ns')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✖ namespace "nowhere" does not exist');
    expect(run.stderr).toContain('→ create it: kubectl create namespace nowhere');
  });

  it('a Service that never becomes Ready: Knative\'s reason and message, and the orchestrator is not applied', async () => {
    const failing = await startCluster();
    try {
      failing.controller.setOutcome('shop-model-b', { ready: false, reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu' });
      const run = await runCli(['deploy', FIXTURE_GRAPH, '--kubeconfig', failing.kubeconfig, '--build-dir', path.join(dir, 'failing')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/shop-model-b\s+failed\s+RevisionFailed: Revision "shop-model-b-00001" failed with message: 0\/3 nodes are available: 3 Insufficient nvidia.com\/gpu\./);
      expect(run.stderr).toContain('✖ shop-model-b did not become Ready: RevisionFailed: Revision "shop-model-b-00001" failed with message: 0/3 nodes are available');
      expect(run.stderr).toContain('→ see kubectl describe revision shop-model-b-00001 -n switchyard');
      expect(failing.api.get('serving.knative.dev/v1', 'Service', NS, 'shop-orchestrator')).toBeUndefined();
    } finally {
      await failing.close();
    }
  });

  it('the wait\'s deadline (a manual clock), with each unready Service\'s last reason', async () => {
    const slow = await startCluster({ mode: 'manual' });
    try {
      const { objects } = await compileVariant(dir, {});
      const clock = new ManualClock();
      const events: DeployEvent[] = [];
      const deploying = rejection(() => deployWith(slow, objects, { clock, timeoutMs: 120_000, events }));
      await expect.poll(() => slow.api.get('serving.knative.dev/v1', 'Service', NS, 'shop-model-b')).toBeDefined();
      slow.controller.reconcile(NS, 'shop-model-a');
      slow.controller.reconcile(NS, 'shop-model-b', { ready: 'unknown', reason: 'Deploying', message: 'pulling the image' });
      await expect.poll(() => events.filter((e) => e.type === 'service').map((e) => `${(e as any).name} ${(e as any).state}`)).toContain('shop-model-b pending');
      await expect.poll(() => events.some((e) => e.type === 'service' && e.name === 'shop-model-b' && e.reason === 'RevisionMissing')).toBe(true);
      clock.advance(119_000);
      await flushMicrotasks();
      clock.advance(1_000);
      const error = await deploying;
      expect(error.code).toBe('timeout');
      expect(error.message).toBe('shop-model-b did not become Ready within 2m:\n    shop-model-b: RevisionMissing: Configuration "shop-model-b" is waiting for a Revision to become ready.');
      expect(error.hint).toContain('raise --timeout');
    } finally {
      await slow.close();
    }
  });

  it('a manifest that does not fit the CRD (500 "failed to create typed patch object") or a bad quantity (422)', async () => {
    const { objects } = await compileVariant(dir, {});
    const typo = objects.map((o) => structuredClone(o)) as any[];
    typo.find((o) => o.metadata.name === 'shop-model-a' && o.kind === 'Service').spec.template.spec.containerConcurency = 4;
    const schema = await rejection(() => deployWith(cluster, typo));
    expect(schema.code).toBe('manifest_rejected');
    expect(schema.message).toBe(
      'the cluster rejected the manifest of Service switchyard/shop-model-a: it does not fit the services.serving.knative.dev schema the cluster has: .spec.template.spec.containerConcurency: field not declared in schema',
    );

    const quantity = objects.map((o) => structuredClone(o)) as any[];
    quantity.find((o) => o.metadata.name === 'shop-model-b' && o.kind === 'Service').spec.template.spec.containers[0].resources = { limits: { memory: 'plenty' } };
    const invalid = await rejection(() => deployWith(cluster, quantity));
    expect(invalid.code).toBe('manifest_rejected');
    expect(invalid.message).toContain('the cluster rejected the manifest of Service switchyard/shop-model-b: spec.template.spec.containers[0].resources.limits.memory: Invalid value: "plenty"');
  });

  it('an apply that does not force meets the other manager\'s atomic list as a 409 conflict', async () => {
    const api = connectCluster({ kubeconfig: cluster.kubeconfig, env: {}, clock: realClock });
    const service: KubeObject = {
      apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'contested', namespace: NS },
      spec: { template: { spec: { containers: [{ image: 'a:1' }] } }, traffic: [{ latestRevision: true, percent: 100 }] },
    };
    await api.apply(service, { fieldManager: 'someone-else', force: false, dryRun: false });
    const mine = structuredClone(service) as any;
    mine.spec.traffic = [{ latestRevision: true, percent: 50, tag: 'a' }, { revisionName: 'x', percent: 50 }];
    const conflict = await rejection(() => api.apply(mine, { fieldManager: 'switchyard', force: false, dryRun: false }));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toContain('Apply failed with 1 conflict: conflict with "someone-else" using serving.knative.dev/v1: .spec.traffic');
    expect((await applyObject(api, mine, { dryRun: false })).outcome).toBe('configured');
  });
});
