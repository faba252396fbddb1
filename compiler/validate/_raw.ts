/**
 * @module Defensive reading of the graph file's raw data, for checks that run even where the schema failed
 * (so that every problem is reported at once). Everything here tolerates any input.
 */

export type RawRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key1][key2]…`, or undefined where any step is not an object. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The nodes whose value is an object, in file order. */
export function rawNodes(data: unknown): Array<[string, RawRecord]> {
  const nodes = at(data, 'spec', 'nodes');
  if (!isRecord(nodes)) return [];
  return Object.entries(nodes).filter((entry): entry is [string, RawRecord] => isRecord(entry[1]));
}

/** The string entries of a node's `children`, with their index. */
export function rawChildren(node: RawRecord): Array<[number, string]> {
  const children = node.children;
  if (!Array.isArray(children)) return [];
  return children.flatMap((child, index): Array<[number, string]> => (typeof child === 'string' ? [[index, child]] : []));
}

/** The string entries of a node's `shadow` (one name, or a list), with their path under the node. */
export function rawShadows(node: RawRecord): Array<[Array<string | number>, string]> {
  const shadow = node.shadow;
  if (typeof shadow === 'string') return [[['shadow'], shadow]];
  if (!Array.isArray(shadow)) return [];
  return shadow.flatMap((name, index): Array<[Array<string | number>, string]> => (typeof name === 'string' ? [[['shadow', index], name]] : []));
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A non-negative integer, or undefined. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
