/**
 * The gRPC front end on Knative: with `grpc.enabled` the plan renders a `<graph>-grpc` Service (one `h2c` port,
 * the orchestrator's in-cluster URL in its environment) and its bundle ConfigMap, valid against the Knative CRD;
 * without it, nothing; and what cannot be rendered is an error naming the field.
 */
import { describe, expect, it } from 'vitest';
import {
  checkRender,
  renderManifests,
  RenderError,
  type BundleFile,
  type ConfigMap,
  type K8sObject,
  type KnativeService,
} from '../../../compiler/render/index.ts';
import { knativeServiceValidator } from '../../helpers/knative-schema.ts';
import { IMAGE, seedBundles, seedPlan } from './seed-plan.ts';

const GRPC_BUNDLE: BundleFile = { fileName: 'index.mjs', contents: "import { createRequire } from 'node:module';\n// grpc front end\n" };

function withGrpc(enabled = true) {
  return { ...seedPlan(), grpc: { enabled } };
}

const find = <T extends K8sObject>(objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;

describe('the <graph>-grpc Knative Service', () => {
  const objects = renderManifests(withGrpc(), { image: IMAGE, bundles: seedBundles(), grpcBundle: GRPC_BUNDLE, clusterDomain: 'corp.internal' });
  const service = find<KnativeService>(objects, 'Service', 'seed-grpc')!;

  it('is valid against the Knative Service CRD, public, and comes after the orchestrator', () => {
    expect(service).toBeDefined();
    expect(knativeServiceValidator().check(service)).toEqual([]);
    expect(service.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'switchyard', 'switchyard.dev/graph': 'seed', 'switchyard.dev/function': 'grpc' });
    expect(service.metadata.labels?.['networking.knative.dev/visibility']).toBeUndefined();
    const names = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
    expect(names.indexOf('seed-grpc')).toBeGreaterThan(names.indexOf('seed-orchestrator'));
  });

  it('has one port, named h2c, a TCP readiness probe, and the orchestrator in-cluster URL in its environment', () => {
    const container = service.spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'h2c' }]);
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 8080 } });
    expect(container.env).toContainEqual({ name: 'SWITCHYARD_ORCHESTRATOR_URL', value: 'http://seed-orchestrator.switchyard.svc.corp.internal' });
    expect(container.args).toEqual(['/opt/switchyard/function/index.mjs']);
    expect(container.image).toBe(IMAGE);
  });

  it('runs restricted like every function, from its bundle ConfigMap, with Knative default autoscaling', () => {
    const orchestrator = find<KnativeService>(objects, 'Service', 'seed-orchestrator')!;
    const container = service.spec.template.spec.containers[0];
    expect(container.securityContext).toEqual(orchestrator.spec.template.spec.containers[0].securityContext);
    expect(service.spec.template.spec.volumes).toEqual([{ name: 'bundle', configMap: { name: 'seed-grpc-bundle', items: [{ key: 'index.mjs', path: 'index.mjs' }] } }]);
    const bundle = find<ConfigMap>(objects, 'ConfigMap', 'seed-grpc-bundle')!;
    expect(bundle.data).toEqual({ 'index.mjs': GRPC_BUNDLE.contents });
    const annotations = service.spec.template.metadata.annotations;
    expect(Object.keys(annotations).filter((k) => k.startsWith('autoscaling.knative.dev/'))).toEqual([]);
    expect(annotations['switchyard.dev/bundle-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(service.spec.template.spec.timeoutSeconds).toBe(orchestrator.spec.template.spec.timeoutSeconds);
  });

  it('is not rendered when the plan turns gRPC off, or says nothing about it', () => {
    for (const plan of [withGrpc(false), seedPlan()]) {
      const rendered = renderManifests(plan, { image: IMAGE, bundles: seedBundles(), grpcBundle: GRPC_BUNDLE });
      expect(rendered.filter((o) => o.metadata.name.startsWith('seed-grpc'))).toEqual([]);
    }
  });

  it('refuses a plan with gRPC on but no bundle, or a node function named grpc, naming the field and the way out', () => {
    expect(() => renderManifests(withGrpc(), { image: IMAGE, bundles: seedBundles() })).toThrow(RenderError);
    const missing = checkRender(withGrpc(), { image: IMAGE, bundles: seedBundles() });
    expect(missing.filter((i) => i.severity === 'error').map((i) => [i.code, i.path])).toEqual([['missing_grpc_bundle', 'options.grpcBundle']]);

    const plan = withGrpc();
    plan.functions['grpc'] = { ...plan.functions['features']!, name: 'grpc', bundle: 'functions/grpc/index.mjs' };
    const bundles = { ...seedBundles(), grpc: GRPC_BUNDLE };
    const taken = checkRender(plan, { image: IMAGE, bundles, grpcBundle: GRPC_BUNDLE }).find((i) => i.code === 'grpc_name_taken');
    expect(taken).toMatchObject({ severity: 'error', path: 'functions.grpc' });
    expect(taken?.hint).toContain('spec.grpc.enabled: false');
  });

  it('refuses a bundle too big for a ConfigMap', () => {
    const big = { fileName: 'index.mjs', contents: 'x'.repeat(1024 * 1024 + 1) };
    const issues = checkRender(withGrpc(), { image: IMAGE, bundles: seedBundles(), grpcBundle: big });
    expect(issues.find((i) => i.code === 'grpc_bundle_too_large')).toMatchObject({ severity: 'error', path: 'options.grpcBundle' });
  });
});
