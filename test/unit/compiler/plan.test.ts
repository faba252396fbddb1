import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCALING,
  compileSpecFile,
  planGraph,
  resolveDevice,
  resolveLogger,
  resolveResources,
  resolveScaling,
  resolveState,
  resolveTimeout,
  resolveTracing,
  walkGraph,
} from '../../../compiler/plan/index.ts';
import { InferenceGraphSchema, loadGraphFile } from '../../../compiler/spec/index.ts';
import type { InferenceGraph } from '../../../compiler/spec/index.ts';
import { checkSpec } from '../../../compiler/validate/index.ts';
import { FIXTURES, SEED_GRAPH, baseGraph } from './_graphs.ts';

const FULL_GRAPH = path.join(FIXTURES, 'full', 'graph.yaml');

async function parsedSpec(file: string): Promise<InferenceGraph> {
  const loaded = await loadGraphFile(file);
  const checked = checkSpec(loaded.data);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.spec;
}

describe('planGraph: the seed graph', () => {
  it('plans the seed graph from its parsed spec', async () => {
    const plan = planGraph(await parsedSpec(SEED_GRAPH), { componentMethods: { features: ['transformInput'] } });
    expect(plan.graph).toBe('seed');
    expect(plan.namespace).toBe('default');
    expect(plan.root).toBe('features');
    expect(Object.keys(plan.nodes)).toEqual(['features', 'bandit', 'weak-model', 'good-model']);
    expect(plan.edges).toEqual([
      ['features', 'bandit'],
      ['bandit', 'weak-model'],
      ['bandit', 'good-model'],
    ]);
    expect(plan.nodes.features!.implementation).toEqual({ kind: 'component', module: './components/features.ts', methods: ['transformInput'], parameters: {} });
    expect(plan.nodes.bandit).toEqual({
      name: 'bandit',
      type: 'ROUTER',
      children: ['weak-model', 'good-model'],
      implementation: { kind: 'router', router: 'epsilon-greedy', parameters: { epsilon: 0.2 } },
      function: 'orchestrator',
      timeoutMs: 10_000,
    });
    expect(plan.nodes['weak-model']!.implementation).toEqual({
      kind: 'onnx',
      modelFile: 'model.onnx',
      inputNames: [],
      outputNames: [],
      classNames: ['setosa', 'versicolor', 'virginica'],
      session: { graphOptimizationLevel: 'basic', intraOpNumThreads: 1, interOpNumThreads: 0 },
    });
    expect(Object.values(plan.functions).map((fn) => [fn.name, fn.kind, fn.nodes, fn.bundle])).toEqual([
      ['orchestrator', 'orchestrator', ['bandit'], 'functions/orchestrator/index.mjs'],
      ['features', 'component', ['features'], 'functions/features/index.mjs'],
      ['weak-model', 'model', ['weak-model'], 'functions/weak-model/index.mjs'],
      ['good-model', 'model', ['good-model'], 'functions/good-model/index.mjs'],
    ]);
    expect(plan.functions['good-model']).toMatchObject({
      device: { kind: 'cpu', affinity: 'required', count: 0 },
      resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: {} },
      scaling: { ...DEFAULT_SCALING, containerConcurrency: 4, maxScale: 8, scaleToZeroGracePeriodMs: 30_000 },
    });
    expect(plan.functions['weak-model']!.device).toEqual({ kind: 'cpu', affinity: 'preferred', count: 0 });
    expect(plan.functions.orchestrator!.scaling).toEqual(DEFAULT_SCALING);
    expect(plan.state).toEqual({ kind: 'file', path: '.switchyard/state/seed.json' });
    expect(plan.tracing).toEqual({ samplingRatio: 1 });
    expect(plan.labels).toEqual({ 'app.kubernetes.io/part-of': 'switchyard', 'switchyard.dev/graph': 'seed' });
  });

  it('compiles the seed file (its models and component may not be generated yet)', async () => {
    const result = await compileSpecFile(SEED_GRAPH);
    if (result.ok) {
      expect(result.plan.nodes.features!.implementation).toMatchObject({ kind: 'component', methods: expect.arrayContaining(['transformInput']) });
      expect(result.sources.models).toEqual({
        'good-model': path.join(path.dirname(SEED_GRAPH), 'models', 'good.onnx'),
        'weak-model': path.join(path.dirname(SEED_GRAPH), 'models', 'weak.onnx'),
      });
      expect(result.graphDir).toBe(path.dirname(SEED_GRAPH));
    } else {
      expect(result.issues.filter((i) => !['model_file_missing', 'component_missing'].includes(i.code))).toEqual([]);
    }
  });
});

describe('compileSpecFile: a graph with every kind of node', () => {
  it('resolves defaults, devices, resources, scaling, state and sources', async () => {
    const result = await compileSpecFile(FULL_GRAPH);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { plan, sources } = result;
    expect(plan.namespace).toBe('ml');
    expect(Object.keys(plan.nodes)).toEqual(['features', 'split', 'ensemble', 'model-a', 'scorer', 'picker', 'model-b']);
    expect(Object.keys(plan.functions)).toEqual(['orchestrator', 'features', 'model-a', 'scorer', 'picker', 'model-b']);
    expect(plan.functions.orchestrator).toEqual({
      name: 'orchestrator',
      kind: 'orchestrator',
      nodes: ['split', 'ensemble'],
      device: { kind: 'cpu', affinity: 'required', count: 0 },
      resources: { requests: { cpu: '1' }, limits: {} },
      scaling: { ...DEFAULT_SCALING, minScale: 1, containerConcurrency: 50 },
      bundle: 'functions/orchestrator/index.mjs',
    });
    expect(plan.functions['model-a']).toMatchObject({
      device: { kind: 'nvidia-gpu', affinity: 'required', count: 2 },
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      scaling: { ...DEFAULT_SCALING, minScale: 1, maxScale: 4, targetUtilization: 0.8, stableWindowMs: 30_000, scaleToZeroGracePeriodMs: 60_000, scaleDownDelayMs: 30_000 },
    });
    expect(plan.functions.scorer!.device).toEqual({ kind: 'nvidia-gpu', affinity: 'preferred', count: 1 });
    expect(plan.functions['model-b']!.device).toEqual({ kind: 'intel-gpu', affinity: 'required', count: 1 });
    expect(plan.functions.features!.device).toEqual({ kind: 'cpu', affinity: 'required', count: 0 });
    expect(plan.nodes.split!.implementation).toEqual({ kind: 'router', router: 'weighted-split', parameters: { weights: [3, 1], seed: 7 } });
    expect(plan.nodes.ensemble).toMatchObject({ implementation: { kind: 'combiner', combiner: 'mean' }, function: 'orchestrator', timeoutMs: 2000 });
    expect(plan.nodes.scorer!.implementation).toEqual({ kind: 'component', module: './components/scorer.ts', methods: ['predictRaw'], parameters: {} });
    expect(plan.nodes.picker).toMatchObject({ implementation: { kind: 'component', methods: ['route', 'sendFeedback'] }, function: 'picker', timeoutMs: 5000 });
    expect(plan.nodes.features!.implementation).toMatchObject({ methods: ['init', 'transformInput'], parameters: { scale: 2 } });
    expect(plan.state).toEqual({ kind: 'redis', url: 'redis://localhost:6379' });
    expect(plan.tracing).toEqual({ samplingRatio: 0.5 });
    const dir = path.join(FIXTURES, 'full');
    expect(sources).toEqual({
      models: { 'model-a': path.join(dir, 'models/a.onnx'), 'model-b': path.join(dir, 'models/b.onnx') },
      components: {
        features: path.join(dir, 'components/features.ts'),
        scorer: path.join(dir, 'components/scorer.ts'),
        picker: path.join(dir, 'components/picker.ts'),
      },
    });
  });

  it('reads JSON graphs too', async () => {
    const result = await compileSpecFile(path.join(FIXTURES, 'minimal.json'));
    expect(result.ok && result.plan.nodes.model!.implementation).toEqual({ kind: 'component', module: './components/predict.ts', methods: ['predict'], parameters: {} });
  });

  it('lets command-line overrides win over the file, for every function', async () => {
    const result = await compileSpecFile(FULL_GRAPH, {
      overrides: { scaling: { minScale: 2, stableWindowMs: 10_000 }, state: { kind: 'memory' } },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    for (const fn of Object.values(result.plan.functions)) expect(fn.scaling).toMatchObject({ minScale: 2, stableWindowMs: 10_000 });
    expect(result.plan.functions['model-a']!.scaling.scaleToZeroGracePeriodMs).toBe(60_000);
    expect(result.plan.state).toEqual({ kind: 'memory' });
  });

  it('reports overrides that are out of range or conflict with the file', async () => {
    const bad = await compileSpecFile(FULL_GRAPH, { overrides: { scaling: { minScale: -1 } } });
    expect(bad.ok ? [] : bad.issues).toMatchObject([{ code: 'out_of_range', path: ['overrides', 'scaling', 'minScale'] }]);
    expect(bad.ok ? undefined : bad.issues[0]!.line).toBeUndefined();
    const conflict = await compileSpecFile(FULL_GRAPH, { overrides: { scaling: { minScale: 5 } } });
    expect(conflict.ok ? [] : conflict.issues).toMatchObject([
      {
        code: 'scale_bounds',
        path: ['overrides', 'scaling', 'minScale'],
        message: 'scaling.minScale: the override leaves minScale above maxScale in features (minScale 5, maxScale 4), model-a (minScale 5, maxScale 4), scorer (minScale 5, maxScale 4), picker (minScale 5, maxScale 4), model-b (minScale 5, maxScale 4)',
      },
    ]);
  });

  it('returns the issues of a bad file instead of throwing', async () => {
    const result = await compileSpecFile(path.join(FIXTURES, 'no-such-graph.yaml'));
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'file_not_found' }] });
  });
});

describe('planGraph is deterministic', () => {
  it('gives the same plan, key order included, whatever order the nodes are declared in', async () => {
    const spec = await parsedSpec(FULL_GRAPH);
    const reversed: InferenceGraph = { ...spec, spec: { ...spec.spec, nodes: Object.fromEntries(Object.entries(spec.spec.nodes).reverse()) } };
    const methods = { features: ['transformInput'], scorer: ['predict'], picker: ['route'] };
    const first = JSON.stringify(planGraph(spec, { componentMethods: methods }));
    expect(JSON.stringify(planGraph(spec, { componentMethods: methods }))).toBe(first);
    expect(JSON.stringify(planGraph(reversed, { componentMethods: methods }))).toBe(first);
  });

  it('does not change its input', () => {
    const spec = InferenceGraphSchema.parse(baseGraph());
    const before = JSON.stringify(spec);
    planGraph(spec, { overrides: { scaling: { minScale: 1 } } });
    expect(JSON.stringify(spec)).toBe(before);
  });
});

describe('resolvers', () => {
  it('resolveScaling: Knative defaults < spec.defaults < node < overrides', () => {
    expect(resolveScaling([])).toEqual(DEFAULT_SCALING);
    const policy = resolveScaling(
      [
        { maxScale: 10, targetUtilization: 50, stableWindow: 120_000 },
        { maxScale: 3, containerConcurrency: 2 },
      ],
      { containerConcurrency: 8 },
    );
    expect(policy).toEqual({ ...DEFAULT_SCALING, maxScale: 3, targetUtilization: 0.5, stableWindowMs: 120_000, containerConcurrency: 8 });
  });

  it('Knative defaults are the plan defaults', () => {
    expect(DEFAULT_SCALING).toEqual({
      minScale: 0,
      maxScale: 0,
      initialScale: 1,
      target: 100,
      targetUtilization: 0.7,
      containerConcurrency: 0,
      scaleToZeroGracePeriodMs: 30_000,
      stableWindowMs: 60_000,
      panicWindowPercentage: 10,
      panicThresholdPercentage: 200,
      scaleDownDelayMs: 0,
    });
  });

  it.each([
    ['nothing', undefined, undefined, { kind: 'cpu', affinity: 'required', count: 0 }],
    ['a GPU shorthand', 'nvidia-gpu', undefined, { kind: 'nvidia-gpu', affinity: 'required', count: 1 }],
    ['the defaults', undefined, { kind: 'amd-gpu', affinity: 'preferred' }, { kind: 'amd-gpu', affinity: 'preferred', count: 1 }],
    ['the node over the defaults', 'cpu', 'nvidia-gpu', { kind: 'cpu', affinity: 'required', count: 0 }],
    ['a GPU count', { kind: 'intel-gpu', count: 2 }, undefined, { kind: 'intel-gpu', affinity: 'required', count: 2 }],
  ] as const)('resolveDevice: %s', (_name, node, defaults, expected) => {
    expect(resolveDevice(node, defaults)).toEqual(expected);
  });

  it('resolveResources merges field by field', () => {
    expect(resolveResources([{ cpu: '1', limits: { memory: '1Gi' } }, { memory: '256Mi', limits: { cpu: '2' } }])).toEqual({
      requests: { cpu: '1', memory: '256Mi' },
      limits: { cpu: '2', memory: '1Gi' },
    });
    expect(resolveResources([undefined])).toEqual({ requests: {}, limits: {} });
  });

  it('resolveState: override > spec.state > a file relative to the graph', () => {
    expect(resolveState(undefined, 'g')).toEqual({ kind: 'file', path: '.switchyard/state/g.json' });
    expect(resolveState({ store: 'file' }, 'g')).toEqual({ kind: 'file', path: '.switchyard/state/g.json' });
    expect(resolveState({ store: 'file', path: 'state.json' }, 'g')).toEqual({ kind: 'file', path: 'state.json' });
    expect(resolveState({ store: 'memory' }, 'g')).toEqual({ kind: 'memory' });
    expect(resolveState({ store: 'redis', url: 'redis://r:6379' }, 'g', { kind: 'memory' })).toEqual({ kind: 'memory' });
  });

  it('resolveTimeout and resolveTracing', () => {
    expect(resolveTimeout(undefined, undefined)).toBe(10_000);
    expect(resolveTimeout(undefined, 3000)).toBe(3000);
    expect(resolveTimeout(500, 3000)).toBe(500);
    expect(resolveTracing(undefined)).toEqual({ samplingRatio: 1 });
    expect(resolveTracing({ samplingRatio: 0 })).toEqual({ samplingRatio: 0 });
  });

  it('resolveLogger: mode all unless written; the plan carries the graph\'s and each node\'s', () => {
    expect(resolveLogger(undefined)).toBeUndefined();
    expect(resolveLogger({ url: 'http://dumper/' })).toEqual({ url: 'http://dumper/', mode: 'all' });
    const graph = InferenceGraphSchema.parse({
      ...baseGraph(),
      spec: { ...baseGraph().spec, logger: { url: 'http://dumper/graph', mode: 'response' } },
    });
    graph.spec.nodes.bandit!.logger = { url: 'http://dumper/bandit' };
    const plan = planGraph(graph);
    expect(plan.logger).toEqual({ url: 'http://dumper/graph', mode: 'response' });
    expect(plan.nodes.bandit!.logger).toEqual({ url: 'http://dumper/bandit', mode: 'all' });
    expect(plan.nodes['model-a']!.logger).toBeUndefined();
    expect(planGraph(InferenceGraphSchema.parse(baseGraph())).logger).toBeUndefined();
  });

  it('plans shadows: each node lists its own, and a shadow follows its node in walk order with a function of its own', () => {
    const graph = InferenceGraphSchema.parse(baseGraph());
    graph.spec.nodes['model-a']!.shadow = 'candidate';
    graph.spec.nodes.candidate = { type: 'MODEL', onnx: { path: './full/models/b.onnx' } };
    const walk = walkGraph(graph.spec);
    expect(walk.order).toEqual(['features', 'bandit', 'model-a', 'candidate', 'model-b']);
    expect(walk.shadows).toEqual([['model-a', 'candidate']]);
    expect(walk.edges).not.toContainEqual(['model-a', 'candidate']);
    const plan = planGraph(graph);
    expect(plan.nodes['model-a']!.shadows).toEqual(['candidate']);
    expect(plan.nodes['model-b']!.shadows).toBeUndefined();
    expect(plan.functions.candidate!.kind).toBe('model');
    // Fusion leaves shadows in their own functions.
    expect(planGraph({ ...graph, spec: { ...graph.spec, fusion: 'auto' } }).nodes.candidate!.function).toBe('candidate');
  });

  it('walkGraph goes depth first from the root, children in order', () => {
    const nodes = { c: { children: [] }, a: { children: ['b', 'c'] }, b: { children: ['d'] }, d: {} } as unknown as InferenceGraph['spec']['nodes'];
    expect(walkGraph({ root: 'a', nodes })).toEqual({
      order: ['a', 'b', 'd', 'c'],
      edges: [
        ['a', 'b'],
        ['b', 'd'],
        ['a', 'c'],
      ],
      shadows: [],
    });
  });
});
