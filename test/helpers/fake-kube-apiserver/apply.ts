/**
 * @module Server-side apply (PATCH `application/apply-patch+yaml`) and plain updates, with field ownership as
 * the real apiserver keeps it in `metadata.managedFields`:
 *
 * - applying sets every field of the body and makes the manager own exactly those fields;
 * - a field the manager owned before and leaves out is removed, unless another manager owns it too;
 * - a field owned by another manager with a different value is a conflict (409) unless the apply forces, in
 *   which case the manager takes it over;
 * - an update (PUT, or a test writing as a controller) takes the fields it changes from their owners.
 *
 * Pure: takes the live object (or none) and returns the new one; the store decides what to keep.
 */
import {
  deepEqual,
  deleteAt,
  displayPath,
  encodeFieldsV1,
  getAt,
  keyPath,
  leafPaths,
  ownership,
  pathKey,
  setAt,
  type ManagedFieldsEntry,
  type Path,
} from './field-set.ts';
import { applyConflict } from './status.ts';

type Json = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);

function entryKey(manager: string, operation: 'Apply' | 'Update'): string {
  return `${manager}\u0000${operation}`;
}

function encodeOwnership(
  owners: Map<string, { operation: 'Apply' | 'Update'; paths: Path[]; time: string }>,
  apiVersion: string,
): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const [key, owner] of owners) {
    if (owner.paths.length === 0) continue;
    entries.push({ manager: keyPath(key)[0]!, operation: owner.operation, apiVersion, time: owner.time, fieldsType: 'FieldsV1', fieldsV1: encodeFieldsV1(owner.paths) });
  }
  return entries;
}

export interface ApplyInput {
  live: Json | undefined;
  body: Json;
  manager: string;
  force: boolean;
  /** RFC 3339 time stamp for the managed fields entry. */
  time: string;
}

/** The object after a server-side apply (managedFields included). Throws the 409 Status on conflicts. */
export function serverSideApply(input: ApplyInput): Json {
  const { live, body, manager, force, time } = input;
  const apiVersion = String(body['apiVersion']);
  const owners = ownership(live);
  const applied = leafPaths(body);
  const appliedKeys = new Set(applied.map(pathKey));

  const conflicts: Array<{ manager: string; field: string; key: string; owner: string }> = [];
  for (const [key, owner] of owners) {
    if (key === entryKey(manager, 'Apply')) continue;
    for (const path of owner.paths) {
      if (!appliedKeys.has(pathKey(path))) continue;
      if (!deepEqual(getAt(live, path), getAt(body, path))) conflicts.push({ manager: keyPath(key)[0]!, field: displayPath(path), key: pathKey(path), owner: key });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts, apiVersion);
  for (const conflict of conflicts) {
    const owner = owners.get(conflict.owner)!;
    owner.paths = owner.paths.filter((p) => pathKey(p) !== conflict.key);
  }

  const result: Json = live === undefined ? { apiVersion: body['apiVersion'], kind: body['kind'], metadata: {} } : clone(live);
  const metadata = result['metadata'] as Json;
  const bodyMeta = (body['metadata'] ?? {}) as Json;
  metadata['name'] = bodyMeta['name'];
  if (bodyMeta['namespace'] !== undefined) metadata['namespace'] = bodyMeta['namespace'];

  const previous = owners.get(entryKey(manager, 'Apply'))?.paths ?? [];
  const ownedByOthers = new Set([...owners].filter(([k]) => k !== entryKey(manager, 'Apply')).flatMap(([, o]) => o.paths.map(pathKey)));
  for (const path of previous) {
    if (!appliedKeys.has(pathKey(path)) && !ownedByOthers.has(pathKey(path))) deleteAt(result, path);
  }
  for (const path of applied) {
    const value = getAt(body, path);
    // An empty map in the body claims the map, not its keys: what others set in it stays.
    const emptyMap = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
    const existing = getAt(result, path);
    if (emptyMap && existing !== null && typeof existing === 'object' && !Array.isArray(existing)) continue;
    setAt(result, path, clone(value));
  }

  owners.set(entryKey(manager, 'Apply'), { operation: 'Apply', paths: applied, time });
  metadata['managedFields'] = encodeOwnership(owners, apiVersion);
  return result;
}

/**
 * The object after an update by `manager` (a PUT, or a controller writing status): `next` replaces the object,
 * and the manager takes over every leaf whose value changed.
 */
export function updateAs(live: Json, next: Json, manager: string, time: string): Json {
  const owners = ownership(live);
  const changed = leafPaths(next).filter((path) => !deepEqual(getAt(live, path), getAt(next, path)));
  const changedKeys = new Set(changed.map(pathKey));
  for (const owner of owners.values()) owner.paths = owner.paths.filter((p) => !changedKeys.has(pathKey(p)));
  const key = entryKey(manager, 'Update');
  const mine = owners.get(key)?.paths ?? [];
  const merged = [...mine.filter((p) => !changedKeys.has(pathKey(p))), ...changed];
  owners.set(key, { operation: 'Update', paths: merged, time });
  const result = clone(next);
  (result['metadata'] as Json)['managedFields'] = encodeOwnership(owners, String(next['apiVersion']));
  return result;
}

/** Whether two versions of an object differ in anything but server-kept metadata and managedFields times. */
export function objectChanged(before: Json | undefined, after: Json): boolean {
  if (before === undefined) return true;
  const strip = (o: Json) => {
    const copy = clone(o);
    const meta = copy['metadata'] as Json;
    delete meta['resourceVersion'];
    delete meta['generation'];
    const fields = (meta['managedFields'] ?? []) as ManagedFieldsEntry[];
    meta['managedFields'] = fields.map((f) => ({ ...f, time: '' }));
    return copy;
  };
  return !deepEqual(strip(before), strip(after));
}

/** Whether anything outside `metadata` and `status` differs: what bumps `metadata.generation`. */
export function specChanged(before: Json | undefined, after: Json): boolean {
  if (before === undefined) return true;
  const strip = (o: Json) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'metadata' && k !== 'status'));
  return !deepEqual(strip(before), strip(after));
}
