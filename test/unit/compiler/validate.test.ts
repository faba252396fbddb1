import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGraphFile, parseGraphText } from '../../../compiler/spec/index.ts';
import { checkSpec, formatIssues, validateGraph } from '../../../compiler/validate/index.ts';
import { compileSpecFile } from '../../../compiler/plan/index.ts';
import { FIXTURES, graphWith } from './_graphs.ts';

describe('validateGraph', () => {
  it('reports every problem at once, in file order, with lines', async () => {
    const file = await loadGraphFile(path.join(FIXTURES, 'bad', 'graph.yaml'));
    const result = await validateGraph(file.data, { graphDir: file.graphDir, locate: file.locate });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ['component_missing', 11],
      ['out_of_range', 16],
      ['unknown_child', 17],
      ['model_file_missing', 20],
      ['invalid_value', 21],
      ['scale_bounds', 23],
      ['out_of_range', 25],
      ['unreachable_node', 26],
      ['model_file_missing', 28],
    ]);
  });

  it('renders issues the way zod prettifies them', async () => {
    const result = await compileSpecFile(path.join(FIXTURES, 'bad', 'graph.yaml'));
    expect(result.ok).toBe(false);
    expect(formatIssues(result.ok ? [] : result.issues, 'graph.yaml')).toMatchInlineSnapshot(`
      "✖ features.component: no file at ./components/missing.ts (relative to the graph file)
        → at spec.nodes.features.component (graph.yaml line 11)
        hint: write the path of the TypeScript module relative to the directory of the graph file
      ✖ parameters.epsilon: expected a number <= 1, received 1.5
        → at spec.nodes.bandit.parameters.epsilon (graph.yaml line 16)
        hint: write a number from 0 to 1
      ✖ bandit.children[1]: no node is named "weak-modle"
        → at spec.nodes.bandit.children[1] (graph.yaml line 17)
        hint: write the name of a node under spec.nodes (features, bandit, good-model, extra)
      ✖ onnx.path: no file at ./models/good.onnx (relative to the graph file)
        → at spec.nodes.good-model.onnx.path (graph.yaml line 20)
        hint: write the path of the .onnx file relative to the directory of the graph file, or an http(s) URL to download it from
      ✖ good-model.device: expected one of "cpu", "nvidia-gpu", "intel-gpu", "amd-gpu", received "tpu"
        → at spec.nodes.good-model.device (graph.yaml line 21)
        hint: did you mean "cpu"? write one of: cpu, nvidia-gpu, intel-gpu, amd-gpu
      ✖ scaling.minScale: minScale 3 is above maxScale 2
        → at spec.nodes.good-model.scaling.minScale (graph.yaml line 23)
        hint: make minScale at most maxScale, or write maxScale: 0 for no upper bound
      ✖ scaling.stableWindow: expected a duration from 6s to 1h, received "2s"
        → at spec.nodes.good-model.scaling.stableWindow (graph.yaml line 25)
        hint: write a duration from 6s to 1h, e.g. 60s
      ✖ nodes.extra: the node is not reachable from the root "features"
        → at spec.nodes.extra (graph.yaml line 26)
        hint: list "extra" in the children (or the shadow) of a node, or remove it
      ✖ onnx.path: no file at ./models/good.onnx (relative to the graph file)
        → at spec.nodes.extra.onnx.path (graph.yaml line 28)
        hint: write the path of the .onnx file relative to the directory of the graph file, or an http(s) URL to download it from
      9 problems found in graph.yaml
      "
    `);
  });

  it('renders a YAML syntax error with its line and column', () => {
    const parsed = parseGraphText('apiVersion: switchyard.dev/v1alpha1\nspec:\n  root: [a, b\n  nodes: {}\n');
    expect(formatIssues(parsed.issues.slice(0, 1), 'graph.yaml')).toMatch(/^✖ YAML syntax error: .+\n {2}→ at graph.yaml line \d+, column \d+\n {2}hint: /);
  });

  it('says which problems are in the file even when the shape is wrong too', () => {
    const result = checkSpec(
      graphWith((g) => {
        g.spec.nodes['model-a']!.scaling = { minScale: -1 };
        g.spec.nodes['model-a']!.component = './x.ts';
        g.spec.nodes.bandit!.children = ['model-a', 'model-b', 'nope'];
        g.spec.nodes.bandit!.parameters = { epsilon: 'high' };
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => i.code).sort()).toEqual(['implementation_conflict', 'invalid_type', 'out_of_range', 'unknown_child']);
  });

  it('checks policies once spec.defaults apply, reporting each conflict once', () => {
    const fromDefaults = checkSpec(
      graphWith((g) => {
        g.spec.defaults = { scaling: { minScale: 3, maxScale: 2 } };
        g.spec.nodes['model-a']!.scaling = { target: 5 };
      }),
    );
    expect(fromDefaults.ok ? [] : fromDefaults.issues.map((i) => [i.code, i.path.join('.')])).toEqual([['scale_bounds', 'spec.defaults.scaling.minScale']]);
    const mixed = checkSpec(
      graphWith((g) => {
        g.spec.defaults = { scaling: { minScale: 3 }, resources: { limits: { cpu: 1 } } };
        g.spec.nodes['model-a']!.scaling = { maxScale: 2 };
        g.spec.nodes['model-a']!.resources = { cpu: '1500m' };
      }),
    );
    expect(mixed.ok ? [] : mixed.issues.map((i) => i.message)).toEqual([
      'scaling.maxScale: minScale 3 (from spec.defaults.scaling) is above maxScale 2',
      'resources.cpu: the request 1500m is above the limit 1',
    ]);
  });

  it('gives hints that say what to write', () => {
    const result = checkSpec(graphWith((g) => (g.spec.nodes['model-a']!.tmeout = '5s')));
    expect(result.ok ? undefined : result.issues[0]).toEqual({
      code: 'unknown_field',
      path: ['spec', 'nodes', 'model-a', 'tmeout'],
      message: 'model-a.tmeout: unknown field',
      received: '5s',
      hint: 'did you mean "timeout"? Otherwise remove it; the fields here are: type, children, onnx, component, router, combiner, remote, shadow, parameters, device, resources, scaling, canary, logger, timeout',
    });
    const missing = checkSpec(graphWith((g) => delete g.spec.root));
    expect(missing.ok ? undefined : missing.issues[0]!.hint).toBe('add root: features (the node that receives each request)');
    const cycle = checkSpec(graphWith((g) => (g.spec.nodes['model-b']!.children = ['features'])));
    expect(cycle.ok ? undefined : cycle.issues[0]!.message).toBe(
      'model-b.children[0]: "features" → "bandit" → "model-b" → "features" is a cycle',
    );
    const parents = checkSpec(graphWith((g) => (g.spec.nodes.features!.children = ['bandit', 'model-a'])));
    expect(parents.ok ? undefined : parents.issues[0]!.message).toContain('graphs are trees, as in Seldon Core');
  });

  it('checks payload loggers: the URL and the mode, on the graph and on a node', () => {
    const result = checkSpec(
      graphWith((g) => {
        g.spec.logger = { url: 'message-dumper.default', mode: 'all' };
        g.spec.nodes['model-a']!.logger = { url: 'http://dumper/', mode: 'requests' };
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['spec.nodes.model-a.logger.mode', 'logger.mode: expected one of "all", "request", "response", received "requests"'],
      [
        'spec.logger.url',
        'logger.url: expected an http:// or https:// URL that receives CloudEvents, received "message-dumper.default"',
      ],
    ]);
    expect(checkSpec(graphWith((g) => (g.spec.logger = { url: 'https://logs.example.com/v1/events' }))).ok).toBe(true);
  });

  it('checks a sticky split\'s field path', () => {
    const result = checkSpec(
      graphWith((g) => {
        g.spec.nodes.bandit!.router = 'weighted-split';
        g.spec.nodes.bandit!.parameters = { weights: [1, 1], stickyBy: 'meta.tags.' };
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['spec.nodes.bandit.parameters.stickyBy', expect.stringContaining('the path has an empty key')],
    ]);
    expect(checkSpec(graphWith((g) => {
      g.spec.nodes.bandit!.router = 'weighted-split';
      g.spec.nodes.bandit!.parameters = { stickyBy: 'meta.tags.user' };
    })).ok).toBe(true);
  });

  it('checks shadows: they name nodes, have no other parent, and are not the node itself', () => {
    const messages = (change: (g: ReturnType<typeof graphWith>) => void) => {
      const result = checkSpec(graphWith(change));
      return result.ok ? [] : result.issues.map((i) => `${i.path.join('.')}: ${i.message} | ${i.hint}`);
    };
    expect(messages((g) => (g.spec.nodes['model-a']!.shadow = 'model-c'))).toEqual([
      'spec.nodes.model-a.shadow: model-a.shadow: no node is named "model-c" | did you mean "model-a"? write the name of a node under spec.nodes (features, bandit, model-a, model-b)',
    ]);
    expect(messages((g) => (g.spec.nodes['model-a']!.shadow = ['model-b']))).toEqual([
      'spec.nodes.model-a.shadow.0: model-a.shadow[0]: "model-b" is already a child of "bandit"; graphs are trees, as in Seldon Core, so a node has one parent | remove "model-b" here, or declare a second node (e.g. model-b-2) with the same implementation',
    ]);
    expect(messages((g) => (g.spec.nodes['model-a']!.shadow = 'model-a'))).toEqual([
      'spec.nodes.model-a.shadow: model-a.shadow: "model-a" cannot shadow itself | name another node: a shadow gets a copy of "model-a"\'s input',
    ]);
    expect(messages((g) => (g.spec.nodes.bandit!.shadow = 'model-a'))).toEqual([
      'spec.nodes.bandit.shadow: bandit.shadow: "model-a" is already listed in these children | a node is either a child or a shadow: remove this "model-a"',
    ]);
    expect(
      messages((g) => {
        g.spec.nodes['model-a']!.shadow = 'candidate';
        g.spec.nodes.candidate = { type: 'MODEL', onnx: { path: './full/models/b.onnx' } };
      }),
    ).toEqual([]);
  });

  it('names the method a component lacks and what it exports', async () => {
    const result = await validateGraph(
      graphWith((g) => (g.spec.nodes['model-b'] = { type: 'MODEL', component: './components/no-method.ts' })),
      { graphDir: FIXTURES },
    );
    expect(result.ok ? undefined : result.issues[0]).toMatchObject({
      message: 'model-b.component: ./components/no-method.ts does not export predict, which a MODEL needs (it exports helper)',
      hint: 'export function predict(…) from ./components/no-method.ts (or predictRaw)',
    });
  });

  it('leaves a module with a default export to the runtime (it reads methods from it)', async () => {
    const result = await validateGraph(
      graphWith((g) => (g.spec.nodes['model-b'] = { type: 'MODEL', component: './components/default-only.ts' })),
      { graphDir: FIXTURES },
    );
    expect(result.ok && result.componentMethods).toEqual({ features: ['init', 'transformInput'], 'model-b': [] });
  });

  it('reports where a component fails to build', async () => {
    const result = await validateGraph(
      graphWith((g) => (g.spec.nodes['model-b'] = { type: 'MODEL', component: './components/broken.js' })),
      { graphDir: FIXTURES },
    );
    expect(result.ok ? undefined : result.issues[0]!.message).toMatch(/does not build: components\/broken\.js:3:\d+: Unexpected ";"/);
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a list', []],
    ['a number', 5],
    ['a string', 'graph'],
    ['spec as a number', { spec: 5 }],
    ['nodes as a list', { spec: { root: 'a', nodes: [] } }],
    ['null nodes', { spec: { root: 'a', nodes: { a: null, b: { children: 'x' } } } }],
    ['children of every type', { spec: { root: 'a', nodes: { a: { type: 'ROUTER', router: 5, children: [1, null, 'a', {}] } } } }],
  ])('never throws for %s', async (_name, data) => {
    const result = await validateGraph(data, { graphDir: FIXTURES });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.length).toBeGreaterThan(0);
  });
});
