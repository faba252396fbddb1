import { describe, expect, it } from 'vitest';
import {
  AUTOSCALING_ANNOTATIONS as A,
  BUNDLE_HASH_ANNOTATION,
  RenderError,
  renderManifests,
  type ConfigMap,
  type K8sObject,
  type KnativeService,
} from '../../../compiler/render/index.ts';
import { knativeServiceValidator } from '../../helpers/knative-schema.ts';
import { IMAGE, seedBundles, seedPlan } from './seed-plan.ts';

function render(plan = seedPlan(), bundles = seedBundles()): K8sObject[] {
  return renderManifests(plan, { image: IMAGE, bundles });
}

function service(objects: K8sObject[], fn: string): KnativeService {
  const found = objects.find((o) => o.kind === 'Service' && o.metadata.name === `seed-${fn}`);
  if (found === undefined) throw new Error(`no Service seed-${fn}`);
  return found as KnativeService;
}

function configMap(objects: K8sObject[], name: string): ConfigMap {
  const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ConfigMap ${name}`);
  return found as ConfigMap;
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const container = (objects: K8sObject[], fn: string) => service(objects, fn).spec.template.spec.containers[0];

describe('renderManifests', () => {
  it('renders the plan ConfigMap, a bundle ConfigMap per function, then a Service per function (orchestrator last)', () => {
    expect(render().map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'v1 ConfigMap switchyard/seed-plan',
      'v1 ConfigMap switchyard/seed-features-bundle',
      'v1 ConfigMap switchyard/seed-good-model-bundle',
      'v1 ConfigMap switchyard/seed-weak-model-bundle',
      'v1 ConfigMap switchyard/seed-orchestrator-bundle',
      'serving.knative.dev/v1 Service switchyard/seed-features',
      'serving.knative.dev/v1 Service switchyard/seed-good-model',
      'serving.knative.dev/v1 Service switchyard/seed-weak-model',
      'serving.knative.dev/v1 Service switchyard/seed-orchestrator',
    ]);
  });

  it('renders no function for a remote node: the orchestrator calls its URL from the plan', () => {
    const plan = seedPlan();
    plan.nodes['weak-model'] = {
      ...plan.nodes['weak-model']!,
      implementation: { kind: 'remote', url: 'http://sklearn-iris.models.svc.cluster.local', protocol: 'v2', model: 'sklearn-iris', inputName: 'input-0', datatype: 'FP32' },
    };
    delete plan.functions['weak-model'];
    const bundles = seedBundles();
    delete bundles['weak-model'];
    const objects = render(plan, bundles);
    expect(objects.map((o) => o.metadata.name)).not.toContain('seed-weak-model');
    expect(objects.map((o) => o.metadata.name)).not.toContain('seed-weak-model-bundle');
    const endpoints = JSON.parse(container(objects, 'orchestrator').env.find((e) => e.name === 'SWITCHYARD_ENDPOINTS')?.value ?? 'null');
    expect(Object.keys(endpoints).sort()).toEqual(['features', 'good-model']);
    expect(configMap(objects, 'seed-plan').data['plan.json']).toContain('http://sklearn-iris.models.svc.cluster.local');
    const validator = knativeServiceValidator();
    for (const s of objects.filter((o) => o.kind === 'Service')) expect(validator.check(s)).toEqual([]);
  });

  it('renders every Service so that it fits the Knative Serving v1 CRD, closed against unknown fields', () => {
    const validator = knativeServiceValidator();
    const services = render().filter((o) => o.kind === 'Service');
    expect(services).toHaveLength(4);
    for (const s of services) expect({ name: s.metadata.name, problems: validator.check(s) }).toEqual({ name: s.metadata.name, problems: [] });
  });

  it('writes the scaling policy as autoscaling.knative.dev annotations, all strings', () => {
    const objects = render();
    const annotations = service(objects, 'weak-model').spec.template.metadata.annotations;
    expect(annotations).toEqual({
      [A.class]: 'kpa.autoscaling.knative.dev',
      [A.metric]: 'concurrency',
      [A.minScale]: '0',
      [A.maxScale]: '8',
      [A.initialScale]: '1',
      [A.target]: '3',
      [A.targetUtilizationPercentage]: '70',
      [A.window]: '60s',
      [A.panicWindowPercentage]: '10',
      [A.panicThresholdPercentage]: '200',
      [A.scaleDownDelay]: '15s',
      [A.scaleToZeroPodRetentionPeriod]: '1500ms',
      [BUNDLE_HASH_ANNOTATION]: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const orchestrator = service(objects, 'orchestrator').spec.template.metadata.annotations;
    expect(orchestrator[A.targetUtilizationPercentage]).toBe('85');
    expect(orchestrator[A.minScale]).toBe('1');
    expect(orchestrator[A.maxScale]).toBe('10');
    expect(orchestrator[A.scaleToZeroPodRetentionPeriod]).toBe('30s');
    expect(orchestrator[A.scaleDownDelay]).toBe('0s');
    expect(annotations['autoscaling.knative.dev/minScale']).toBeUndefined();
  });

  it('sets containerConcurrency and a timeout from the node timeouts (orchestrator: its longest path)', () => {
    const objects = render();
    const spec = (fn: string) => service(objects, fn).spec.template.spec;
    expect(spec('good-model').containerConcurrency).toBe(4);
    expect(spec('features').containerConcurrency).toBe(0);
    expect(spec('features').timeoutSeconds).toBe(2);
    expect(spec('good-model').timeoutSeconds).toBe(5);
    expect(spec('weak-model').timeoutSeconds).toBe(3); // 2.5 s rounded up
    expect(spec('orchestrator').timeoutSeconds).toBe(8); // features 2 + bandit 1 + good-model 5
  });

  it('runs the bundle from its ConfigMap on the generic image, on port 8080, ready on /health/status', () => {
    const objects = render();
    const c = container(objects, 'features');
    expect(c.image).toBe(IMAGE);
    expect(c.command).toEqual(['node']);
    expect(c.args).toEqual(['/opt/switchyard/function/index.mjs']);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http1' }]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/health/status' } });
    expect(c.env.map((e) => e.name)).not.toContain('PORT');
    expect(c.volumeMounts).toEqual([{ name: 'bundle', mountPath: '/opt/switchyard/function', readOnly: true }]);
    expect(service(objects, 'features').spec.template.spec.volumes).toEqual([
      { name: 'bundle', configMap: { name: 'seed-features-bundle', items: [{ key: 'index.mjs', path: 'index.mjs' }] } },
    ]);
  });

  it('mounts the models claim read-only in model functions only, and tells them where their models are', () => {
    const objects = render();
    const model = service(objects, 'good-model').spec.template.spec;
    expect(model.volumes[1]).toEqual({ name: 'models', persistentVolumeClaim: { claimName: 'seed-models', readOnly: true } });
    expect(model.containers[0].volumeMounts[1]).toEqual({ name: 'models', mountPath: '/opt/switchyard/models', readOnly: true });
    expect(model.containers[0].env).toContainEqual({ name: 'SWITCHYARD_MODEL_DIR', value: '/opt/switchyard/models/good-model' });
    for (const fn of ['features', 'orchestrator']) {
      expect(service(objects, fn).spec.template.spec.volumes.map((v) => v.name)).toEqual(['bundle']);
      expect(container(objects, fn).env.map((e) => e.name)).not.toContain('SWITCHYARD_MODEL_DIR');
    }
  });

  it('gives every function its name, graph and allocator setting, and the orchestrator the in-cluster URL of every other function', () => {
    const objects = render();
    expect(container(objects, 'features').env).toEqual([
      { name: 'SWITCHYARD_FUNCTION', value: 'features' },
      { name: 'SWITCHYARD_GRAPH', value: 'seed' },
      // glibc gives freed memory back past 128 KiB, as under the local engine (runtime/host/malloc-env.ts).
      { name: 'MALLOC_TRIM_THRESHOLD_', value: '131072' },
    ]);
    const env = container(objects, 'orchestrator').env;
    const endpoints = env.find((e) => e.name === 'SWITCHYARD_ENDPOINTS');
    expect(JSON.parse(endpoints?.value ?? 'null')).toEqual({
      features: 'http://seed-features.switchyard.svc.cluster.local',
      'good-model': 'http://seed-good-model.switchyard.svc.cluster.local',
      'weak-model': 'http://seed-weak-model.switchyard.svc.cluster.local',
    });
    const other = renderManifests(seedPlan(), { image: IMAGE, bundles: seedBundles(), clusterDomain: 'corp.internal' });
    expect(container(other, 'orchestrator').env[2]?.value).toContain('http://seed-features.switchyard.svc.corp.internal');
  });

  it('copies resources from the plan and adds the GPU limit only for a required device', () => {
    const objects = render();
    expect(container(objects, 'good-model').resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi', 'nvidia.com/gpu': '1' },
    });
    expect(container(objects, 'weak-model').resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(container(objects, 'orchestrator').resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' } });
  });

  it('maps required and preferred devices to node affinity and tolerations; CPU functions get neither', () => {
    const objects = render();
    const toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    const onGpuNode = { key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] };
    const required = service(objects, 'good-model').spec.template.spec;
    expect(required.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [onGpuNode] }] } },
    });
    expect(required.tolerations).toEqual([toleration]);
    const preferred = service(objects, 'weak-model').spec.template.spec;
    expect(preferred.affinity).toEqual({
      nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [onGpuNode] } }] },
    });
    expect(preferred.tolerations).toEqual([toleration]);
    for (const fn of ['features', 'orchestrator']) {
      expect(service(objects, fn).spec.template.spec).not.toHaveProperty('affinity');
      expect(service(objects, fn).spec.template.spec).not.toHaveProperty('tolerations');
    }
  });

  it.each([
    ['intel-gpu', 'gpu.intel.com/i915', 'intel.feature.node.kubernetes.io/gpu'],
    ['amd-gpu', 'amd.com/gpu', 'feature.node.kubernetes.io/amd-gpu'],
  ] as const)('names %s as %s on nodes labelled %s', (kind, resource, label) => {
    const plan = seedPlan();
    const fn = plan.functions['good-model'];
    if (fn === undefined) throw new Error('fixture');
    fn.device = { kind, affinity: 'required', count: 2 };
    const spec = service(render(plan), 'good-model').spec.template.spec;
    expect(spec.containers[0].resources.limits?.[resource]).toBe('2');
    expect(spec.affinity?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchExpressions[0]?.key).toBe(label);
    expect(spec.tolerations).toEqual([{ key: resource, operator: 'Exists', effect: 'NoSchedule' }]);
    expect(knativeServiceValidator().check(service(render(plan), 'good-model'))).toEqual([]);
  });

  it('keeps every function but the orchestrator cluster-local, and labels everything with the plan labels', () => {
    const objects = render();
    for (const fn of ['features', 'good-model', 'weak-model']) {
      expect(service(objects, fn).metadata.labels).toEqual({
        'app.kubernetes.io/part-of': 'switchyard',
        'switchyard.dev/graph': 'seed',
        'switchyard.dev/function': fn,
        'networking.knative.dev/visibility': 'cluster-local',
      });
    }
    expect(service(objects, 'orchestrator').metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'switchyard',
      'switchyard.dev/graph': 'seed',
      'switchyard.dev/function': 'orchestrator',
    });
    expect(service(objects, 'weak-model').spec.template.metadata.labels).not.toHaveProperty('networking.knative.dev/visibility');
    for (const o of objects) expect(o.metadata.labels?.['switchyard.dev/graph']).toBe('seed');
  });

  it('runs every container under the restricted security context', () => {
    for (const o of render().filter((x) => x.kind === 'Service')) {
      expect((o as KnativeService).spec.template.spec.containers[0].securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  it('puts the plan in <graph>-plan as plan.json and each bundle in its own ConfigMap', () => {
    const plan = seedPlan();
    const objects = render(plan);
    const planMap = configMap(objects, 'seed-plan');
    expect(Object.keys(planMap.data)).toEqual(['plan.json']);
    expect(JSON.parse(planMap.data['plan.json'] ?? '')).toEqual(plan);
    expect(planMap.metadata.labels).toEqual(plan.labels);
    const bundle = configMap(objects, 'seed-weak-model-bundle');
    expect(bundle.data).toEqual({ 'index.mjs': seedBundles()['weak-model']?.contents });
    expect(bundle.metadata.labels?.['switchyard.dev/function']).toBe('weak-model');
  });

  it('starts a new revision when a bundle changes, and only for that function', () => {
    const hash = (objects: K8sObject[], fn: string) => service(objects, fn).spec.template.metadata.annotations[BUNDLE_HASH_ANNOTATION];
    const before = render();
    const bundles = seedBundles();
    const features = bundles['features'];
    if (features === undefined) throw new Error('fixture');
    bundles['features'] = { ...features, contents: `${features.contents}// changed\n` };
    const after = render(seedPlan(), bundles);
    expect(hash(after, 'features')).not.toBe(hash(before, 'features'));
    expect(hash(after, 'good-model')).toBe(hash(before, 'good-model'));
  });

  it('does not change the plan it renders', () => {
    const plan = seedPlan();
    render(plan);
    expect(plan).toEqual(seedPlan());
  });

  it('refuses a plan with errors, naming all of them, and renders despite warnings', () => {
    const plan = seedPlan();
    const fn = plan.functions['features'];
    if (fn === undefined) throw new Error('fixture');
    fn.scaling.containerConcurrency = -1;
    fn.scaling.minScale = 5;
    fn.scaling.maxScale = 3;
    const bundles = seedBundles();
    delete bundles['orchestrator'];
    const thrown = thrownBy(() => render(plan, bundles));
    expect(thrown).toBeInstanceOf(RenderError);
    const issues = (thrown as RenderError).issues.filter((i) => i.severity === 'error');
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'out_of_range functions.features.scaling.containerConcurrency',
      'min_scale_above_max_scale functions.features.scaling.minScale',
      'missing_bundle options.bundles.orchestrator',
    ]);
    expect((thrown as Error).message).toContain('min-scale 5 is greater than max-scale 3');
    // The seed plan itself has a warning (preferred GPU) and still renders.
    expect(render()).toHaveLength(9);
  });

  it('refuses a bundle that does not fit in a ConfigMap, or a file name that is not a ConfigMap key', () => {
    const bundles = seedBundles();
    bundles['features'] = { fileName: 'index.mjs', contents: 'x'.repeat(1024 * 1024) };
    bundles['orchestrator'] = { fileName: '../index.mjs', contents: '' };
    bundles['extra'] = { fileName: 'index.mjs', contents: '' };
    const error = thrownBy(() => renderManifests(seedPlan(), { image: '', bundles }));
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.path}`)).toEqual([
      'missing_image options.image',
      'bundle_too_large options.bundles.features',
      'invalid_bundle_file_name options.bundles.orchestrator.fileName',
      'unknown_bundle options.bundles.extra',
    ]);
  });
});
