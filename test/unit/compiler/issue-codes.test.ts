import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, loadGraphFile, parseGraphText } from '../../../compiler/spec/index.ts';
import type { IssueCode, IssuePath } from '../../../compiler/spec/index.ts';
import { checkSpec, validateGraph } from '../../../compiler/validate/index.ts';
import { FIXTURES, baseGraph, graphWith } from './_graphs.ts';
import type { Graph } from './_graphs.ts';

interface Case {
  name: string;
  change: (graph: Graph) => void;
  code: IssueCode;
  path: IssuePath;
}

const node = (graph: Graph, name: string) => graph.spec.nodes[name]!;

/** Each case changes the valid base graph in one way and expects exactly one issue. */
const SPEC_CASES: Case[] = [
  { name: 'root missing', change: (g) => delete g.spec.root, code: 'missing_field', path: ['spec', 'root'] },
  { name: 'name of the wrong type', change: (g) => (g.metadata.name = 5), code: 'invalid_type', path: ['metadata', 'name'] },
  { name: 'unknown node type', change: (g) => (node(g, 'model-a').type = 'MODLE'), code: 'invalid_value', path: ['spec', 'nodes', 'model-a', 'type'] },
  { name: 'unknown device', change: (g) => (node(g, 'model-a').device = 'tpu'), code: 'invalid_value', path: ['spec', 'nodes', 'model-a', 'device'] },
  { name: 'wrong apiVersion', change: (g) => (g.apiVersion = 'v1'), code: 'invalid_value', path: ['apiVersion'] },
  {
    name: 'bad quantity',
    change: (g) => (node(g, 'model-a').resources = { cpu: 'lots' }),
    code: 'invalid_format',
    path: ['spec', 'nodes', 'model-a', 'resources', 'cpu'],
  },
  { name: 'bad duration', change: (g) => (node(g, 'model-a').timeout = 'soon'), code: 'invalid_format', path: ['spec', 'nodes', 'model-a', 'timeout'] },
  {
    name: 'stable window with milliseconds',
    change: (g) => (node(g, 'model-a').scaling = { stableWindow: '6500ms' }),
    code: 'invalid_format',
    path: ['spec', 'nodes', 'model-a', 'scaling', 'stableWindow'],
  },
  {
    name: 'panic threshold below 110 %',
    change: (g) => (node(g, 'model-a').scaling = { panicThresholdPercentage: 100 }),
    code: 'out_of_range',
    path: ['spec', 'nodes', 'model-a', 'scaling', 'panicThresholdPercentage'],
  },
  {
    name: 'stable window above 1h',
    change: (g) => (node(g, 'model-a').scaling = { stableWindow: '2h' }),
    code: 'out_of_range',
    path: ['spec', 'nodes', 'model-a', 'scaling', 'stableWindow'],
  },
  { name: 'epsilon above 1', change: (g) => (node(g, 'bandit').parameters = { epsilon: 2 }), code: 'out_of_range', path: ['spec', 'nodes', 'bandit', 'parameters', 'epsilon'] },
  { name: 'sampling ratio above 1', change: (g) => (g.spec.tracing = { samplingRatio: 2 }), code: 'out_of_range', path: ['spec', 'tracing', 'samplingRatio'] },
  { name: 'misspelt field', change: (g) => (node(g, 'model-a').chidlren = []), code: 'unknown_field', path: ['spec', 'nodes', 'model-a', 'chidlren'] },
  { name: 'unknown router parameter', change: (g) => (node(g, 'bandit').parameters = { epsilom: 0.2 }), code: 'unknown_field', path: ['spec', 'nodes', 'bandit', 'parameters', 'epsilom'] },
  { name: 'redis without url', change: (g) => (g.spec.state = { store: 'redis' }), code: 'missing_field', path: ['spec', 'state', 'url'] },
  { name: 'unknown state store', change: (g) => (g.spec.state = { store: 'disk' }), code: 'invalid_value', path: ['spec', 'state', 'store'] },
  {
    name: 'node name with capitals',
    change: (g) => {
      g.spec.nodes.Model_A = node(g, 'model-a');
      delete g.spec.nodes['model-a'];
      node(g, 'bandit').children = ['Model_A', 'model-b'];
    },
    code: 'invalid_node_name',
    path: ['spec', 'nodes', 'Model_A'],
  },
  {
    name: 'node named orchestrator',
    change: (g) => {
      g.spec.nodes.orchestrator = node(g, 'model-a');
      delete g.spec.nodes['model-a'];
      node(g, 'bandit').children = ['orchestrator', 'model-b'];
    },
    code: 'reserved_node_name',
    path: ['spec', 'nodes', 'orchestrator'],
  },
  {
    name: 'function name over 63 characters',
    change: (g) => {
      g.metadata.name = 'a'.repeat(40);
      g.spec.nodes['model-b-with-a-much-longer-name'] = node(g, 'model-b');
      delete g.spec.nodes['model-b'];
      node(g, 'bandit').children = ['model-a', 'model-b-with-a-much-longer-name'];
    },
    code: 'name_too_long',
    path: ['spec', 'nodes', 'model-b-with-a-much-longer-name'],
  },
  { name: 'no implementation', change: (g) => delete node(g, 'model-a').onnx, code: 'implementation_missing', path: ['spec', 'nodes', 'model-a'] },
  {
    name: 'two implementations',
    change: (g) => (node(g, 'model-a').component = './full/components/scorer.ts'),
    code: 'implementation_conflict',
    path: ['spec', 'nodes', 'model-a', 'component'],
  },
  { name: 'onnx on a transformer', change: (g) => (node(g, 'model-a').type = 'TRANSFORMER'), code: 'implementation_type_mismatch', path: ['spec', 'nodes', 'model-a', 'onnx'] },
  { name: 'device on a built-in router', change: (g) => (node(g, 'bandit').device = 'cpu'), code: 'not_allowed_on_builtin', path: ['spec', 'nodes', 'bandit', 'device'] },
  {
    name: 'scaling on a remote node',
    change: (g) => (g.spec.nodes['model-a'] = { type: 'MODEL', remote: { url: 'http://iris.models' }, scaling: { maxScale: 2 } }),
    code: 'not_allowed_on_remote',
    path: ['spec', 'nodes', 'model-a', 'scaling'],
  },
  {
    name: 'an Open Inference Protocol server as a transformer',
    change: (g) => (g.spec.nodes.features = { type: 'TRANSFORMER', remote: { url: 'http://iris.models', protocol: 'v2' }, children: ['bandit'] }),
    code: 'implementation_type_mismatch',
    path: ['spec', 'nodes', 'features', 'remote', 'protocol'],
  },
  {
    name: 'a path on a gRPC server\'s URL',
    change: (g) => (g.spec.nodes['model-a'] = { type: 'MODEL', remote: { url: 'http://triton.models/v2/models/iris', protocol: 'grpc-v2' } }),
    code: 'invalid_value',
    path: ['spec', 'nodes', 'model-a', 'remote', 'url'],
  },
  {
    name: 'a path on a Seldon microservice\'s gRPC URL',
    change: (g) => (g.spec.nodes.features = { type: 'TRANSFORMER', remote: { url: 'http://features.models:9500/transform-input', protocol: 'seldon-grpc' }, children: ['bandit'] }),
    code: 'invalid_value',
    path: ['spec', 'nodes', 'features', 'remote', 'url'],
  },
  {
    name: 'S3 credentials for a model that is not in S3',
    change: (g) => ((node(g, 'model-a').onnx as Record<string, unknown>).credentialsSecret = 'models-s3'),
    code: 'invalid_value',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'credentialsSecret'],
  },
  {
    name: 'a batcher that cannot batch',
    change: (g) => ((node(g, 'model-a').onnx as Record<string, unknown>).batcher = { maxBatchSize: 1 }),
    code: 'out_of_range',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'batcher', 'maxBatchSize'],
  },
  { name: 'a remote URL that is not one', change: (g) => (g.spec.nodes['model-a'] = { type: 'MODEL', remote: { url: 'iris.models' } }), code: 'invalid_format', path: ['spec', 'nodes', 'model-a', 'remote', 'url'] },
  {
    name: 'parameters on a remote node',
    change: (g) => (g.spec.nodes['model-a'] = { type: 'MODEL', remote: { url: 'http://iris.models' }, parameters: { x: 1 } }),
    code: 'parameters_not_allowed',
    path: ['spec', 'nodes', 'model-a', 'parameters'],
  },
  { name: 'parameters on an ONNX node', change: (g) => (node(g, 'model-a').parameters = { x: 1 }), code: 'parameters_not_allowed', path: ['spec', 'nodes', 'model-a', 'parameters'] },
  {
    name: 'one weight for two children',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'weighted-split', parameters: { weights: [1] } }),
    code: 'weights_mismatch',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'weights'],
  },
  {
    name: 'a negative ucb1 exploration',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'ucb1', parameters: { exploration: -1 } }),
    code: 'out_of_range',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'exploration'],
  },
  {
    name: 'a switch case naming no child of the router',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'switch', parameters: { cases: [{ field: 'meta.tags.tier', equals: 'gold', child: 'model-c' }] } }),
    code: 'unknown_child',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'cases', 0, 'child'],
  },
  {
    name: 'a switch default naming no child of the router',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'switch', parameters: { cases: [{ field: 'strData', exists: true, child: 'model-a' }], default: 'model-c' } }),
    code: 'unknown_child',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'default'],
  },
  {
    name: 'a switch case without an operator',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'switch', parameters: { cases: [{ field: 'meta.tags.tier', child: 'model-a' }] } }),
    code: 'missing_field',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'cases', 0],
  },
  {
    name: 'a switch case with a field that is not a path',
    change: (g) => Object.assign(node(g, 'bandit'), { router: 'switch', parameters: { cases: [{ field: 'meta.tags[x]', equals: 1, child: 'model-a' }] } }),
    code: 'invalid_format',
    path: ['spec', 'nodes', 'bandit', 'parameters', 'cases', 0, 'field'],
  },
  {
    name: 'a GPU count on the CPU',
    change: (g) => (node(g, 'model-a').device = { kind: 'cpu', count: 1 }),
    code: 'invalid_device_count',
    path: ['spec', 'nodes', 'model-a', 'device', 'count'],
  },
  {
    name: 'request above limit',
    change: (g) => (node(g, 'model-a').resources = { cpu: 2, limits: { cpu: '500m' } }),
    code: 'request_above_limit',
    path: ['spec', 'nodes', 'model-a', 'resources', 'cpu'],
  },
  {
    name: 'minScale above maxScale',
    change: (g) => (node(g, 'model-a').scaling = { minScale: 3, maxScale: 2 }),
    code: 'scale_bounds',
    path: ['spec', 'nodes', 'model-a', 'scaling', 'minScale'],
  },
  {
    name: 'minScale above the default maxScale',
    change: (g) => {
      g.spec.defaults = { scaling: { maxScale: 2 } };
      node(g, 'model-a').scaling = { minScale: 3 };
    },
    code: 'scale_bounds',
    path: ['spec', 'nodes', 'model-a', 'scaling', 'minScale'],
  },
  { name: 'unknown root', change: (g) => (g.spec.root = 'feature'), code: 'unknown_root', path: ['spec', 'root'] },
  {
    name: 'unknown child',
    change: (g) => (node(g, 'bandit').children = ['model-a', 'model-b', 'model-c']),
    code: 'unknown_child',
    path: ['spec', 'nodes', 'bandit', 'children', 2],
  },
  {
    name: 'child listed twice',
    change: (g) => (node(g, 'bandit').children = ['model-a', 'model-a', 'model-b']),
    code: 'duplicate_child',
    path: ['spec', 'nodes', 'bandit', 'children', 1],
  },
  { name: 'cycle', change: (g) => (node(g, 'model-b').children = ['features']), code: 'cycle', path: ['spec', 'nodes', 'model-b', 'children', 0] },
  {
    name: 'two parents',
    change: (g) => (node(g, 'features').children = ['bandit', 'model-a']),
    code: 'multiple_parents',
    path: ['spec', 'nodes', 'features', 'children', 1],
  },
  {
    name: 'unreachable node',
    change: (g) => (g.spec.nodes.spare = { type: 'MODEL', onnx: { path: './full/models/a.onnx' } }),
    code: 'unreachable_node',
    path: ['spec', 'nodes', 'spare'],
  },
  {
    name: 'router without children',
    change: (g) => {
      delete g.spec.nodes['model-a'];
      delete g.spec.nodes['model-b'];
      node(g, 'bandit').children = [];
    },
    code: 'children_required',
    path: ['spec', 'nodes', 'bandit', 'children'],
  },
];

const FILE_CASES: Case[] = [
  { name: 'missing model file', change: (g) => (node(g, 'model-a').onnx = { path: './full/models/c.onnx' }), code: 'model_file_missing', path: ['spec', 'nodes', 'model-a', 'onnx', 'path'] },
  {
    name: 'a model file that is not the one its sha256 names',
    change: (g) => ((node(g, 'model-a').onnx as Record<string, unknown>).sha256 = '0'.repeat(64)),
    code: 'model_checksum_mismatch',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'sha256'],
  },
  {
    name: 'a model URL that cannot be downloaded',
    change: (g) => (node(g, 'model-a').onnx = { path: 'http://127.0.0.1:1/model.onnx' }),
    code: 'model_download_failed',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'path'],
  },
  {
    name: 'a pvc:// model that names no file in its claim',
    change: (g) => ((node(g, 'model-a').onnx as Record<string, unknown>).path = 'pvc://team-models/'),
    code: 'invalid_format',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'path'],
  },
  {
    name: 'a sha256 for a pvc:// model, which the build cannot read',
    change: (g) => Object.assign(node(g, 'model-a').onnx as Record<string, unknown>, { path: 'pvc://team-models/iris/model.onnx', sha256: 'a'.repeat(64) }),
    code: 'invalid_value',
    path: ['spec', 'nodes', 'model-a', 'onnx', 'sha256'],
  },
  { name: 'missing component', change: (g) => (node(g, 'features').component = './nope.ts'), code: 'component_missing', path: ['spec', 'nodes', 'features', 'component'] },
  {
    name: 'component that does not build',
    change: (g) => (g.spec.nodes['model-b'] = { type: 'MODEL', component: { module: './components/broken.js' } }),
    code: 'component_build_failed',
    path: ['spec', 'nodes', 'model-b', 'component', 'module'],
  },
  {
    name: 'component without the method',
    change: (g) => (g.spec.nodes['model-b'] = { type: 'MODEL', component: './components/no-method.ts' }),
    code: 'component_method_missing',
    path: ['spec', 'nodes', 'model-b', 'component'],
  },
  {
    name: 'a router component without route',
    change: (g) => (g.spec.nodes.bandit = { type: 'ROUTER', component: './full/components/features.ts', children: ['model-a', 'model-b'] }),
    code: 'component_method_missing',
    path: ['spec', 'nodes', 'bandit', 'component'],
  },
];

const LOADER_CODES: IssueCode[] = ['file_not_found', 'unsupported_file_type', 'yaml_syntax', 'duplicate_key'];

describe('issue codes', () => {
  it('the base graph is valid, files included', async () => {
    expect(checkSpec(baseGraph()).ok).toBe(true);
    expect((await validateGraph(baseGraph(), { graphDir: FIXTURES })).ok).toBe(true);
  });

  it.each(SPEC_CASES)('$name → $code', ({ change, code, path }) => {
    const result = checkSpec(graphWith(change));
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => ({ code: i.code, path: i.path }))).toEqual([{ code, path }]);
    expect(issues[0]!.hint).not.toBe('');
  });

  it.each(FILE_CASES)('$name → $code', async ({ change, code, path }) => {
    const result = await validateGraph(graphWith(change), { graphDir: FIXTURES });
    expect(result.ok ? [] : result.issues.map((i) => ({ code: i.code, path: i.path }))).toEqual([{ code, path }]);
  });

  it('file_not_found and unsupported_file_type come from loading', async () => {
    expect((await loadGraphFile(path.join(FIXTURES, 'nope.yaml'))).issues).toMatchObject([{ code: 'file_not_found', path: [] }]);
    expect((await loadGraphFile(path.join(FIXTURES, 'graph.txt'))).issues).toMatchObject([{ code: 'unsupported_file_type', path: [] }]);
  });

  it('yaml_syntax carries the line and column', () => {
    const parsed = parseGraphText('apiVersion: switchyard.dev/v1alpha1\nspec:\n  root: [a, b\n  nodes: {}\n');
    expect(parsed.syntaxError).toBe(true);
    expect(parsed.issues[0]).toMatchObject({ code: 'yaml_syntax', path: [], line: expect.any(Number), column: expect.any(Number) });
  });

  it('duplicate_key names the path and line of the second key', () => {
    const parsed = parseGraphText('spec:\n  nodes:\n    a: {type: MODEL}\n    b: {type: MODEL}\n    a: {type: ROUTER}\n');
    expect(parsed.syntaxError).toBe(false);
    expect(parsed.issues).toEqual([
      expect.objectContaining({ code: 'duplicate_key', path: ['spec', 'nodes', 'a'], line: 5, message: 'nodes.a: two nodes are named "a" (first on line 3)' }),
    ]);
  });

  it('every issue code is exercised by a test', () => {
    const tested = new Set<IssueCode>([...SPEC_CASES, ...FILE_CASES].map((c) => c.code).concat(LOADER_CODES));
    expect([...ISSUE_CODES].filter((code) => !tested.has(code))).toEqual([]);
  });
});
