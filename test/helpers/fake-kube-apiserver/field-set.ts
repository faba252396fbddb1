/**
 * @module Field sets for server-side apply: which fields a manager set, as paths, and their `FieldsV1` encoding
 * in `metadata.managedFields`.
 *
 * Maps (objects) are granular: each key is its own field, so two managers can own different labels. Lists are
 * atomic, which is what a CRD list without `x-kubernetes-list-type` is (`containers` and `spec.traffic` in
 * Knative's CRDs): whoever applies a list owns all of it. The identity fields (apiVersion, kind, metadata.name,
 * metadata.namespace) and server-set metadata are not owned by anyone.
 */

export type Path = string[];

const IDENTITY = new Set(['apiVersion', 'kind']);
const SERVER_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'selfLink']);

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The leaf paths of an applied object: every non-map value, and every empty map. */
export function leafPaths(object: Record<string, unknown>): Path[] {
  const out: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    if (isMap(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) {
        if (path.length === 0 && IDENTITY.has(key)) continue;
        if (path.length === 1 && path[0] === 'metadata' && SERVER_METADATA.has(key)) continue;
        if (child === undefined) continue;
        walk(child, [...path, key]);
      }
      return;
    }
    if (path.length > 0) out.push(path);
  };
  walk(object, []);
  return out;
}

export function pathKey(path: Path): string {
  return path.join('\u0000');
}

export function keyPath(key: string): Path {
  return key.split('\u0000');
}

/** `.spec.template.metadata.annotations.a/b`: how conflicts name a field. */
export function displayPath(path: Path): string {
  return path.map((p) => `.${p}`).join('');
}

export function getAt(object: unknown, path: Path): unknown {
  let at = object;
  for (const part of path) {
    if (!isMap(at)) return undefined;
    at = at[part];
  }
  return at;
}

export function setAt(object: Record<string, unknown>, path: Path, value: unknown): void {
  let at = object;
  for (const part of path.slice(0, -1)) {
    if (!isMap(at[part])) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}

/** Removes the field at `path`, then every map on the way up that it left empty. */
export function deleteAt(object: Record<string, unknown>, path: Path): void {
  const parents: Array<[Record<string, unknown>, string]> = [];
  let at: unknown = object;
  for (const part of path.slice(0, -1)) {
    if (!isMap(at)) return;
    parents.push([at, part]);
    at = at[part];
  }
  if (!isMap(at)) return;
  delete at[path[path.length - 1]!];
  for (let i = parents.length - 1; i >= 0; i--) {
    const [parent, key] = parents[i]!;
    const child = parent[key];
    if (isMap(child) && Object.keys(child).length === 0 && !(i === 0 && key === 'metadata')) delete parent[key];
    else break;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ak = Object.keys(a).filter((k) => a[k] !== undefined);
    const bk = Object.keys(b).filter((k) => b[k] !== undefined);
    return ak.length === bk.length && ak.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A set of paths as `FieldsV1`: `{"f:spec":{"f:template":{…}}}`, a leaf being `{}`. */
export function encodeFieldsV1(paths: Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of [...paths].sort((a, b) => pathKey(a).localeCompare(pathKey(b)))) {
    let at = root;
    for (const part of path) {
      const key = `f:${part}`;
      if (!isMap(at[key])) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
  }
  return root;
}

/** The paths of a `FieldsV1` object (its leaves). */
export function decodeFieldsV1(fields: unknown): Path[] {
  const out: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    const keys = isMap(value) ? Object.keys(value).filter((k) => k.startsWith('f:')) : [];
    if (keys.length === 0) {
      if (path.length > 0) out.push(path);
      return;
    }
    for (const key of keys) walk((value as Record<string, unknown>)[key], [...path, key.slice(2)]);
  };
  walk(fields, []);
  return out;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
}

/** manager → its owned paths, from an object's `metadata.managedFields`. */
export function ownership(object: Record<string, unknown> | undefined): Map<string, { operation: 'Apply' | 'Update'; paths: Path[]; time: string }> {
  const out = new Map<string, { operation: 'Apply' | 'Update'; paths: Path[]; time: string }>();
  const entries = (getAt(object, ['metadata', 'managedFields']) ?? []) as ManagedFieldsEntry[];
  for (const entry of entries) out.set(`${entry.manager}\u0000${entry.operation}`, { operation: entry.operation, paths: decodeFieldsV1(entry.fieldsV1), time: entry.time });
  return out;
}
