/**
 * @module What changed between two versions of an object, as field paths (never values: a Secret's data must
 * not reach the terminal, and a bundle is a megabyte of JavaScript).
 *
 * Fields the server keeps for itself (managedFields, resourceVersion, generation, uid, creationTimestamp) and
 * `status` are ignored; lists compare whole, as server-side apply treats them.
 */
import type { KubeObject } from './types.ts';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** A copy of `object` without the server-kept fields and status. */
export function userFields(object: KubeObject): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
  delete copy['status'];
  const metadata = copy['metadata'] as Record<string, unknown> | undefined;
  if (metadata !== undefined) for (const key of SERVER_METADATA) delete metadata[key];
  return copy;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function segment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** JSON with object keys sorted, so that key order (which the apiserver does not keep) does not count. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Whether two JSON values are equal, whatever their objects' key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

const equal = sameJson;

function changed(before: unknown, after: unknown, at: string): string[] {
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changed(before[key], after[key], `${at}${segment(key)}`));
  }
  if (before === undefined && after === undefined) return [];
  return equal(before, after) ? [] : [at.replace(/^\./, '')];
}

/**
 * The paths that differ between `before` and `after`, e.g.
 * `spec.template.metadata.annotations["switchyard.dev/bundle-sha256"]`, `data["index.mjs"]`, `spec.traffic`.
 */
export function changedPaths(before: KubeObject | undefined, after: KubeObject): string[] {
  return changed(before === undefined ? {} : userFields(before), userFields(after), '');
}
