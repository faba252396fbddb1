import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderManifests, type KnativeService } from '../../../compiler/render/index.ts';
import { closeSchema, contractsDir, knativeCrdFile, knativeServiceValidator, knativeValidator } from '../../helpers/knative-schema.ts';
import { IMAGE, seedBundles, seedPlan } from './seed-plan.ts';

/** A rendered Service to break, as a plain JSON copy. */
function goodModel(): KnativeService {
  const objects = renderManifests(seedPlan(), { image: IMAGE, bundles: seedBundles() });
  const found = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'seed-good-model');
  return structuredClone(found) as KnativeService;
}

type Json = Record<string, any>;

describe('knative-schema helper', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds the shared contracts next to the repository, or where SWITCHYARD_CONTRACTS_DIR says', () => {
    expect(contractsDir()).toBe(path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'contracts'));
    vi.stubEnv('SWITCHYARD_CONTRACTS_DIR', '/somewhere/contracts');
    expect(contractsDir()).toBe('/somewhere/contracts');
    expect(knativeCrdFile('route')).toBe('/somewhere/contracts/knative-serving/route.yaml');
  });

  it('closes objects with properties, keeps preserve-unknown-fields subtrees open, and turns int-or-string into anyOf', () => {
    const closed = closeSchema({
      type: 'object',
      description: 'dropped',
      properties: {
        port: { 'x-kubernetes-int-or-string': true },
        open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        free: { type: 'object' },
        list: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'object', properties: { b: { type: 'integer' } } } },
      },
    });
    expect(closed).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        open: { type: 'object', properties: { a: { type: 'string' } } },
        free: { type: 'object' },
        list: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { b: { type: 'integer' } } } },
      },
    });
  });

  it('accepts a rendered Service', () => {
    expect(knativeServiceValidator().check(goodModel())).toEqual([]);
  });

  it.each([
    ['a misspelled pod spec field', (s: Json) => { s.spec.template.spec.contanerConcurrency = 4; }, '/spec/template/spec: must NOT have additional properties "contanerConcurrency"'],
    ['a misspelled container field', (s: Json) => { s.spec.template.spec.containers[0].imagePullPolcy = 'Always'; }, '/spec/template/spec/containers/0: must NOT have additional properties "imagePullPolcy"'],
    ['a misspelled security context field', (s: Json) => { s.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true; }, '/spec/template/spec/containers/0/securityContext: must NOT have additional properties "readOnlyRootFileSystem"'],
    ['a misspelled top-level spec field', (s: Json) => { s.spec.templates = {}; }, '/spec: must NOT have additional properties "templates"'],
    ['a misspelled metadata field', (s: Json) => { s.metadata.label = {}; }, '/metadata: must NOT have additional properties "label"'],
    ['a misspelled volume source', (s: Json) => { s.spec.template.spec.volumes[0].configmap = s.spec.template.spec.volumes[0].configMap; }, '/spec/template/spec/volumes/0: must NOT have additional properties "configmap"'],
    ['containerConcurrency as a string', (s: Json) => { s.spec.template.spec.containerConcurrency = '4'; }, '/spec/template/spec/containerConcurrency: must be integer'],
    ['an annotation that is not a string', (s: Json) => { s.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'] = 1; }, "/spec/template/metadata/annotations/autoscaling.knative.dev~1min-scale: must be string"],
    ['a quantity that is not one', (s: Json) => { s.spec.template.spec.containers[0].resources.limits.memory = 'lots'; }, '/spec/template/spec/containers/0/resources/limits/memory: must match pattern'],
    ['a probe port that is neither integer nor string', (s: Json) => { s.spec.template.spec.containers[0].readinessProbe.httpGet.port = true; }, '/spec/template/spec/containers/0/readinessProbe/httpGet/port: must be integer'],
    ['another kind', (s: Json) => { s.kind = 'Deployment'; }, '/kind: must be equal to constant'],
  ])('rejects %s', (_name, breakIt, expected) => {
    const s = goodModel() as Json;
    breakIt(s);
    const problems = knativeServiceValidator().check(s);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it.each([
    ['a probe port as a number', (s: Json) => { s.spec.template.spec.containers[0].readinessProbe.httpGet.port = 8080; }],
    ['a probe port by name', (s: Json) => { s.spec.template.spec.containers[0].readinessProbe.httpGet.port = 'http1'; }],
    ['a quantity as an integer', (s: Json) => { s.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 1; }],
    ['any affinity (preserve-unknown-fields)', (s: Json) => { s.spec.template.spec.affinity.podAntiAffinity = { anything: [1] }; }],
    ['any toleration field (preserve-unknown-fields)', (s: Json) => { s.spec.template.spec.tolerations[0].tolerationSeconds = 30; }],
    ['unknown template metadata (preserve-unknown-fields)', (s: Json) => { s.spec.template.metadata.generateName = 'x-'; }],
  ])('accepts %s', (_name, change) => {
    const s = goodModel() as Json;
    change(s);
    expect(knativeServiceValidator().check(s)).toEqual([]);
  });

  it('compiles the other Knative kinds too (Route is fully closed)', () => {
    const route = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name: 'r' },
      spec: { traffic: [{ latestRevision: true, percent: 100, weight: 1 }] },
    };
    expect(knativeValidator('route').check(route)).toEqual(['/spec/traffic/0: must NOT have additional properties "weight"']);
  });
});
