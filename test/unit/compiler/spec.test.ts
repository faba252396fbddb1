import { describe, expect, it } from 'vitest';
import { formatDuration, formatPath, fieldLabel, parseDuration, parseGraphText, parseQuantity } from '../../../compiler/spec/index.ts';
import { checkSpec } from '../../../compiler/validate/index.ts';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [2, 2000],
    [0.25, 250],
    ['30', undefined],
    ['1d', undefined],
    ['-1s', undefined],
  ] as const)('parseDuration(%j) = %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('formatDuration writes the shortest exact form', () => {
    expect([3_600_000, 120_000, 6000, 1500, 0].map(formatDuration)).toEqual(['1h', '2m', '6s', '1500ms', '0s']);
  });

  it('the schema outputs milliseconds', () => {
    const result = checkSpec({
      apiVersion: 'switchyard.dev/v1alpha1',
      kind: 'InferenceGraph',
      metadata: { name: 'g' },
      spec: { root: 'm', defaults: { timeout: 2, scaling: { stableWindow: '1m', scaleToZeroGracePeriod: '500ms' } }, nodes: { m: { type: 'MODEL', component: './m.ts' } } },
    });
    expect(result.ok && result.spec.spec.defaults).toEqual({ timeout: 2000, scaling: { stableWindow: 60_000, scaleToZeroGracePeriod: 500 } });
  });
});

describe('quantities', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['0.5', 0.5],
    ['256Mi', 256 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['lots', undefined],
    ['-1', undefined],
    ['1MB', undefined],
  ] as const)('parseQuantity(%j) = %j', (input, value) => {
    expect(parseQuantity(input)).toBe(value);
  });
});

describe('paths', () => {
  it('formats paths and field labels', () => {
    expect(formatPath(['spec', 'nodes', 'bandit', 'children', 1])).toBe('spec.nodes.bandit.children[1]');
    expect(formatPath(['spec', 'nodes', 'a.b'])).toBe('spec.nodes["a.b"]');
    expect(fieldLabel(['spec', 'nodes', 'bandit', 'children', 1])).toBe('bandit.children[1]');
    expect(fieldLabel(['spec', 'root'])).toBe('spec.root');
    expect(fieldLabel([])).toBe('graph');
  });
});

describe('parseGraphText', () => {
  const text = [
    'apiVersion: switchyard.dev/v1alpha1', // 1
    'kind: InferenceGraph', // 2
    'metadata:', // 3
    '  name: g', // 4
    'spec:', // 5
    '  root: a', // 6
    '  nodes:', // 7
    '    a:', // 8
    '      type: ROUTER', // 9
    '      children:', // 10
    '        - b', // 11
    '        - c', // 12
    '',
  ].join('\n');

  it('finds the line of every path, and of the parent of a missing field', () => {
    const { locate, issues } = parseGraphText(text);
    expect(issues).toEqual([]);
    expect(locate(['spec', 'root'])?.line).toBe(6);
    expect(locate(['spec', 'nodes', 'a', 'children', 1])?.line).toBe(12);
    expect(locate(['spec', 'nodes', 'a', 'router'])?.line).toBe(8);
    expect(locate(['spec', 'nodes', 'a', 'children', 7])?.line).toBe(10);
  });

  it('reads JSON with lines', () => {
    const { data, locate } = parseGraphText('{\n  "metadata": {\n    "name": "g"\n  },\n  "spec": {"root": "a"}\n}\n');
    expect(data).toEqual({ metadata: { name: 'g' }, spec: { root: 'a' } });
    expect(locate(['metadata', 'name'])?.line).toBe(3);
    expect(locate(['spec', 'root'])?.line).toBe(5);
  });

  it('keeps the last of two duplicate keys and reports the duplicate', () => {
    const { data, issues } = parseGraphText('a: 1\nb: 2\na: 3\n');
    expect(data).toEqual({ a: 3, b: 2 });
    expect(issues).toMatchObject([{ code: 'duplicate_key', path: ['a'], line: 3, message: 'a: "a" is set twice (first on line 1)' }]);
  });

  it('an empty file is an issue, not a crash', () => {
    const { data, issues } = parseGraphText('# nothing here\n');
    expect(issues).toEqual([]);
    const checked = checkSpec(data);
    expect(checked.ok ? [] : checked.issues).toMatchObject([{ code: 'missing_field', path: [], message: 'graph: the file is empty' }]);
  });

  it('several YAML documents are a syntax issue', () => {
    expect(parseGraphText('a: 1\n---\nb: 2\n').issues).toMatchObject([{ code: 'yaml_syntax', line: 2 }]);
  });
});
