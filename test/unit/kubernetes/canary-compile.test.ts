/**
 * The `canary` setting from the graph file to the manifest: spec (ranges, where it may be written), plan
 * (node, defaults and orchestrator layers) and render (a Knative `spec.traffic` split that fits the CRD, with
 * the previous revision left for `switchyard deploy` to name). Also the Redis state Secret reference and the
 * `--namespace` override that `switchyard deploy` uses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpecFile } from '../../../compiler/plan/index.ts';
import { renderManifests, type KnativeService } from '../../../compiler/render/index.ts';
import { knativeServiceValidator } from '../../helpers/knative-schema.ts';
import { FIXTURES, graphWith, type Graph } from '../compiler/_graphs.ts';
import { IMAGE, seedBundles, seedPlan } from '../render/seed-plan.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-canary-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let count = 0;

/** Writes the graph to a temp file, its model and component paths made absolute (they are relative to FIXTURES). */
async function compile(graph: Graph, overrides: Parameters<typeof compileSpecFile>[1] = {}) {
  for (const node of Object.values(graph.spec.nodes)) {
    if (typeof node['component'] === 'string') node['component'] = path.resolve(FIXTURES, node['component']);
    const onnx = node['onnx'] as { path: string } | undefined;
    if (onnx !== undefined) onnx.path = path.resolve(FIXTURES, onnx.path);
  }
  const file = path.join(dir, `graph-${count++}.yaml`);
  await writeFile(file, stringify(graph));
  return compileSpecFile(file, overrides);
}

describe('canary: spec and plan', () => {
  it('takes a node\'s canary over spec.defaults.canary, and the orchestrator\'s from spec.orchestrator', async () => {
    const result = await compile(
      graphWith((g) => {
        g.spec['defaults'] = { canary: { percent: 10 } };
        g.spec.nodes['model-b']!['canary'] = { percent: 50 };
        g.spec['orchestrator'] = { canary: { percent: 5 } };
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const canary = Object.fromEntries(Object.values(result.plan.functions).map((fn) => [fn.name, fn.canary]));
    expect(canary).toEqual({ orchestrator: { percent: 5 }, features: { percent: 10 }, 'model-a': { percent: 10 }, 'model-b': { percent: 50 } });
  });

  it('has no canary unless the graph asks for one', async () => {
    const result = await compile(graphWith(() => {}));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(Object.values(result.plan.functions).some((fn) => 'canary' in fn)).toBe(false);
  });

  it('refuses a percent outside 0..100 and a canary on a built-in router, naming the path', async () => {
    const result = await compile(
      graphWith((g) => {
        g.spec.nodes['model-a']!['canary'] = { percent: 120 };
        g.spec.nodes['bandit']!['canary'] = { percent: 10 };
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toEqual(
      expect.arrayContaining([
        [expect.any(String), 'spec.nodes.model-a.canary.percent'],
        ['not_allowed_on_builtin', 'spec.nodes.bandit.canary'],
      ]),
    );
    expect(result.issues.find((i) => i.code === 'not_allowed_on_builtin')?.hint).toBe('remove it; set spec.orchestrator.canary instead');
  });

  it('plans into the namespace given on the command line, and checks it', async () => {
    const ok = await compile(graphWith(() => {}), { overrides: { namespace: 'ml-prod' } });
    expect(ok.ok && ok.plan.namespace).toBe('ml-prod');
    const bad = await compile(graphWith(() => {}), { overrides: { namespace: 'Not_A_Namespace' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path.join('.'))).toEqual(['overrides.namespace']);
  });
});

describe('canary and state: render', () => {
  const service = (objects: ReturnType<typeof renderManifests>, fn: string) => objects.find((o) => o.kind === 'Service' && o.metadata.name === `seed-${fn}`) as KnativeService;

  it('renders a traffic split whose previous revision deploy fills in, fitting the Knative CRD', () => {
    const plan = seedPlan();
    plan.functions['good-model']!.canary = { percent: 25 };
    plan.functions['weak-model']!.canary = { percent: 100 };
    const objects = renderManifests(plan, { image: IMAGE, bundles: seedBundles() });
    expect(service(objects, 'good-model').spec.traffic).toEqual([
      { tag: 'canary', latestRevision: true, percent: 25 },
      { tag: 'stable', latestRevision: false, percent: 75 },
    ]);
    expect(service(objects, 'weak-model').spec.traffic).toBeUndefined();
    expect(service(objects, 'features').spec.traffic).toBeUndefined();
    expect(knativeServiceValidator().check(service(objects, 'good-model'))).toEqual([]);
  });

  it('reads the orchestrator\'s Redis state URL from the <graph>-state Secret, never from the manifest', () => {
    const plan = seedPlan();
    plan.state = { kind: 'redis', url: 'redis://:hunter2@redis:6379' };
    const objects = renderManifests(plan, { image: IMAGE, bundles: seedBundles() });
    const orchestrator = service(objects, 'orchestrator');
    expect(orchestrator.spec.template.spec.containers[0].env).toContainEqual({
      name: 'SWITCHYARD_STATE',
      valueFrom: { secretKeyRef: { name: 'seed-state', key: 'state' } },
    });
    expect(JSON.stringify(orchestrator)).not.toContain('hunter2');
    expect(JSON.stringify(service(objects, 'features'))).not.toContain('SWITCHYARD_STATE');
    expect(knativeServiceValidator().check(orchestrator)).toEqual([]);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });
});
