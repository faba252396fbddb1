/**
 * `switchyard deploy` with the gRPC front end (spec.grpc.enabled): its ConfigMap with the config, its `<graph>-grpc`
 * Service after the orchestrator is Ready; turning it off prunes both; delete takes it first. Against the loopback
 * Kubernetes API server (real protocol, real RBAC of manifests/base, a Knative controller stand-in).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli, startCluster, writeVariant, type Cluster } from '../helpers/fake-kube-apiserver/cluster-fixture.ts';
import type { RbacRule } from '../helpers/fake-kube-apiserver/index.ts';
import { knativeServiceValidator } from '../helpers/knative-schema.ts';

const KSVC = 'serving.knative.dev/v1';
const NS = 'switchyard';

let cluster: Cluster;
beforeAll(async () => {
  const docs = parseAllDocuments(await readFile(path.resolve('manifests/base/deployer-rbac.yaml'), 'utf8')) as Array<{ toJS(): any }>;
  cluster = await startCluster({ rules: docs.map((d) => d.toJS()).find((d) => d.kind === 'Role').rules as RbacRule[] });
});
afterAll(() => cluster.close());

const cli = (...args: string[]) => runCli([...args, '--kubeconfig', cluster.kubeconfig], {});
const deploy = (file: string) => cli('deploy', file, '--build-dir', path.join(cluster.dir, 'build'));

describe('switchyard deploy with the gRPC front end', () => {
  it('applies <graph>-grpc after the orchestrator is Ready, then prunes it when the graph turns gRPC off, and deletes it first', async () => {
    const on = await writeVariant(cluster.dir, { name: 'rpc', grpc: true }, 'grpc-on.yaml');
    const run = await deploy(on);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(at(/^grpc$/)).toBeGreaterThan(at(/rpc-orchestrator\s+ready/));
    expect(at(/created\s+Service rpc-grpc/)).toBeGreaterThan(at(/^grpc$/));
    expect(at(/rpc-grpc\s+ready/)).toBeGreaterThan(at(/created\s+Service rpc-grpc/));
    expect(run.stdout).toContain('9 objects: 9 created');
    // Where gRPC clients dial: the <graph>-grpc Service's host, port 80 (h2c).
    expect(run.stdout).toMatch(/^gRPC \(inference\.GRPCInferenceService, HTTP\/2 cleartext\): rpc-grpc\.\S+:80$/m);

    const services = cluster.api.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/services/')).map((r) => r.path.split('/').pop());
    expect(services).toEqual(['rpc-model-a', 'rpc-model-b', 'rpc-orchestrator', 'rpc-grpc']);
    const live = cluster.api.get(KSVC, 'Service', NS, 'rpc-grpc') as any;
    expect(live.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080, name: 'h2c' }]);
    expect(live.spec.template.spec.containers[0].env).toContainEqual({ name: 'SWITCHYARD_ORCHESTRATOR_URL', value: 'http://rpc-orchestrator.switchyard.svc.cluster.local' });
    const { status: _status, ...applied } = live;
    const { managedFields: _m, resourceVersion: _r, uid: _u, generation: _g, creationTimestamp: _c, ...metadata } = applied.metadata;
    expect(knativeServiceValidator().check({ ...applied, metadata })).toEqual([]);
    expect(cluster.api.get('v1', 'ConfigMap', NS, 'rpc-grpc-bundle')).toBeDefined();

    const off = await writeVariant(cluster.dir, { name: 'rpc', grpc: false }, 'grpc-off.yaml');
    const again = await deploy(off);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/deleted\s+Service rpc-grpc  \(no longer in the graph\)/);
    expect(again.stdout).toMatch(/deleted\s+ConfigMap rpc-grpc-bundle  \(no longer in the graph\)/);
    expect(cluster.api.get(KSVC, 'Service', NS, 'rpc-grpc')).toBeUndefined();

    expect((await deploy(on)).code).toBe(0);
    const removed = await cli('delete', 'rpc', '--namespace', NS);
    expect(removed.code).toBe(0);
    expect(removed.stdout.split('\n')[0]).toMatch(/deleted\s+Service rpc-grpc/);
  });
});
