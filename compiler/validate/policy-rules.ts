/**
 * @module Rules on the policies a function ends up with once `spec.defaults` are applied under a node's own
 * settings: minScale ≤ maxScale (unless maxScale is 0, unbounded) and resource requests ≤ limits.
 */
import { fieldLabel, formatPath, parseQuantity, specIssue } from '../spec/index.ts';
import type { IssuePath, SpecIssue } from '../spec/index.ts';
import { asCount, at, isRecord, rawNodes } from './_raw.ts';

interface Layer {
  value: unknown;
  path: IssuePath;
}

/** Whether `path` lies in the last (the function's own) layer. */
function inOwnLayer(layers: Layer[], path: IssuePath): boolean {
  return formatPath(path).startsWith(`${formatPath(layers[layers.length - 1]!.path)}.`);
}

/** The last layer that sets `key`, with the path where it is set. */
function lookup(layers: Layer[], keys: string[]): { value: unknown; path: IssuePath } | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const value = at(layers[i]!.value, ...keys);
    if (value !== undefined) return { value, path: [...layers[i]!.path, ...keys] };
  }
  return undefined;
}

function scaleBounds(layers: Layer[]): SpecIssue[] {
  const min = lookup(layers, ['minScale']);
  const max = lookup(layers, ['maxScale']);
  const minScale = asCount(min?.value);
  const maxScale = asCount(max?.value);
  if (min === undefined || max === undefined || minScale === undefined || maxScale === undefined) return [];
  if (maxScale === 0 || minScale <= maxScale) return [];
  const inOwn = (path: IssuePath) => inOwnLayer(layers, path);
  // Both from a weaker layer: that layer's own check reports it.
  if (!inOwn(min.path) && !inOwn(max.path)) return [];
  const reported = inOwn(min.path) || !inOwn(max.path) ? min : max;
  const from = (path: IssuePath) => (inOwn(path) ? '' : ` (from ${formatPath(path.slice(0, -1))})`);
  return [
    specIssue('scale_bounds', reported.path, `${fieldLabel(reported.path)}: minScale ${minScale}${from(min.path)} is above maxScale ${maxScale}${from(max.path)}`,
      'make minScale at most maxScale, or write maxScale: 0 for no upper bound', reported.value),
  ];
}

function requestsWithinLimits(layers: Layer[]): SpecIssue[] {
  return (['cpu', 'memory'] as const).flatMap((resource) => {
    const request = lookup(layers, [resource]);
    const limit = lookup(layers, ['limits', resource]);
    if (request === undefined || limit === undefined) return [];
    const requested = parseQuantity(String(request.value));
    const limited = parseQuantity(String(limit.value));
    if (requested === undefined || limited === undefined || requested <= limited) return [];
    if (!inOwnLayer(layers, request.path) && !inOwnLayer(layers, limit.path)) return [];
    return [
      specIssue('request_above_limit', request.path, `${fieldLabel(request.path)}: the request ${String(request.value)} is above the limit ${String(limit.value)}`,
        `request at most ${String(limit.value)}, or raise ${formatPath(limit.path)}`, request.value),
    ];
  });
}

/** Scale bounds and resource limits of every function, as the plan will resolve them. */
export function checkPolicies(data: unknown): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const defaults = (key: string): Layer => ({ value: at(data, 'spec', 'defaults', key), path: ['spec', 'defaults', key] });
  const check = (key: 'scaling' | 'resources', layers: Layer[]) => {
    if (!layers.every((layer) => layer.value === undefined || isRecord(layer.value))) return;
    issues.push(...(key === 'scaling' ? scaleBounds(layers) : requestsWithinLimits(layers)));
  };
  for (const key of ['scaling', 'resources'] as const) {
    check(key, [defaults(key)]);
    check(key, [{ value: at(data, 'spec', 'orchestrator', key), path: ['spec', 'orchestrator', key] }]);
    for (const [name, node] of rawNodes(data)) {
      if (node[key] === undefined) continue;
      check(key, [defaults(key), { value: node[key], path: ['spec', 'nodes', name, key] }]);
    }
  }
  return issues;
}
