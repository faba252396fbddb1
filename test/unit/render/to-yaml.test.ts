import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { canonicalize, renderManifests, toYaml, type K8sObject } from '../../../compiler/render/index.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';
import { IMAGE, seedBundles, seedPlan } from './seed-plan.ts';

function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
  }
  return value;
}

const render = (plan: DeploymentPlan = seedPlan()) => renderManifests(plan, { image: IMAGE, bundles: seedBundles() });

describe('toYaml', () => {
  it('gives the same bytes for the same plan, however its objects were built', () => {
    const once = toYaml(render());
    expect(toYaml(render())).toBe(once);
    expect(toYaml(render(reversedKeys(seedPlan())))).toBe(once);
    expect(toYaml(reversedKeys(render()))).toBe(once);
  });

  it('reads back as the same objects, one document each', () => {
    const objects = render();
    const docs = parseAllDocuments(toYaml(objects));
    expect(Array.isArray(docs)).toBe(true);
    expect((docs as Array<{ errors: unknown[]; toJS(): unknown }>).map((d) => d.errors)).toEqual(objects.map(() => []));
    expect((docs as Array<{ toJS(): unknown }>).map((d) => d.toJS())).toEqual(objects);
  });

  it('puts apiVersion, kind, metadata first and name, namespace first in metadata; the rest sorted', () => {
    const text = toYaml([{ metadata: { labels: { b: '1', a: '2' }, namespace: 'ns', name: 'x' }, kind: 'ConfigMap', data: { z: '1', a: '2' }, apiVersion: 'v1' }]);
    expect(text).toBe(
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', '  namespace: ns', '  labels:', '    a: "2"', '    b: "1"', 'data:', '  a: "2"', '  z: "1"', ''].join('\n'),
    );
  });

  it('quotes strings that YAML would read as numbers or booleans, and keeps long lines whole', () => {
    const long = 'x'.repeat(300);
    const text = toYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'q' }, data: { a: 'true', b: '0', c: '1e3', d: long } }]);
    expect(text).toContain('a: "true"');
    expect(text).toContain('b: "0"');
    expect(text).toContain('c: "1e3"');
    expect(text).toContain(`d: ${long}\n`);
  });

  it('writes the annotations of a Service as quoted strings', () => {
    const text = toYaml(render());
    expect(text).toContain('autoscaling.knative.dev/min-scale: "1"');
    expect(text).toContain('autoscaling.knative.dev/window: 60s');
    expect(text).toContain('nvidia.com/gpu: "1"');
  });

  it('separates documents with ---, and writes no anchors for shared objects', () => {
    const labels = { a: 'b' };
    const objects: K8sObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', labels }, data: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two', labels }, data: { labels: JSON.stringify(labels) } },
    ];
    const text = toYaml(objects);
    expect(text.split('\n').filter((line) => line === '---')).toHaveLength(1);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(toYaml([])).toBe('');
  });

  it('canonicalize drops undefined members and keeps list order', () => {
    expect(canonicalize({ b: [3, 1, 2], a: undefined, kind: 'K' })).toEqual({ kind: 'K', b: [3, 1, 2] });
    expect(Object.keys(canonicalize({ z: 1, name: 'n', apiVersion: 'v' }) as object)).toEqual(['apiVersion', 'name', 'z']);
  });
});
