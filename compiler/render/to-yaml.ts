/**
 * @module Kubernetes objects as one multi-document YAML stream, byte-for-byte the same for the same objects.
 *
 * Keys are put in one canonical order whatever order the objects were built in: `apiVersion`, `kind`,
 * `metadata`, `name`, `namespace` first (as people expect to read them), then the rest alphabetically. List
 * order is kept: it carries meaning (containers, env, args).
 */
import { Document } from 'yaml';
import type { K8sObject } from './types.ts';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

function rank(key: string): number {
  const index = LEADING_KEYS.indexOf(key);
  return index === -1 ? LEADING_KEYS.length : index;
}

/** Compares keys: the leading keys in their fixed order, then code-point order (locale-independent). */
export function compareKeys(a: string, b: string): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of a JSON-like value with every object's keys in canonical order and `undefined` members dropped. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort(compareKeys)) {
      if (record[key] !== undefined) out[key] = canonicalize(record[key]);
    }
    return out;
  }
  return value;
}

/** The objects as YAML documents separated by `---`; strings that look like numbers or booleans stay quoted. */
export function toYaml(objects: readonly K8sObject[]): string {
  return objects
    .map((object) =>
      new Document(canonicalize(object), { aliasDuplicateObjects: false }).toString({
        lineWidth: 0,
        minContentWidth: 0,
      }),
    )
    .join('---\n');
}
