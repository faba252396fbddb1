/**
 * @module The fake apiserver's verbs on one resource type: get, list, create, server-side apply, merge patch,
 * update and delete, with the real apiserver's checks and Status errors. Watch lives in watch.ts.
 */
import { parse as parseYaml } from 'yaml';
import { serverSideApply, updateAs } from './apply.ts';
import { parseLabelSelector } from './label-selector.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { checkSchema } from './schemas.ts';
import {
  alreadyExists,
  ApiStatusError,
  badRequest,
  invalid,
  namespaceNotFound,
  notFound,
  success,
  typedPatchFailure,
  unsupportedMediaType,
} from './status.ts';
import type { Json, ObjectStore, PropagationPolicy } from './store.ts';

export interface Reply {
  status: number;
  body: unknown;
}

export interface ResourceRequest {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  query: URLSearchParams;
  contentType: string;
  body: string;
  /** Called before a write that would create the object: apply checks `create` as well as `patch`. */
  authorizeCreate: () => void;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function time(now: () => Date): string {
  return now().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseBody(text: string, yaml: boolean): Json {
  let parsed: unknown;
  try {
    parsed = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw badRequest('the request body must be an object');
  return parsed;
}

function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) if (value !== 'All') throw badRequest(`Invalid value: "${value}": supported values: "All"`);
  return values.length > 0;
}

/** Checks that a body names the type, object and namespace of the URL, and fits the schema. */
function checkBody(req: ResourceRequest, body: Json): void {
  const { type } = req;
  if (body['apiVersion'] !== apiVersionOf(type) || body['kind'] !== type.kind) {
    throw badRequest(`the API version and kind in the data (${String(body['apiVersion'])}, ${String(body['kind'])}) do not match the expected ones (${apiVersionOf(type)}, ${type.kind})`);
  }
  const meta = isObject(body['metadata']) ? body['metadata'] : {};
  if (req.name !== undefined && meta['name'] !== req.name) {
    throw badRequest(`the name of the object (${String(meta['name'])}) does not match the name on the URL (${req.name})`);
  }
  if (meta['namespace'] !== undefined && meta['namespace'] !== req.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (type.statusSubresource) delete body['status'];
  const check = checkSchema(type, body);
  if (check.typeProblems.length > 0) throw typedPatchFailure(req.namespace, String(meta['name']), apiVersionOf(type), type.kind, check.typeProblems);
  if (check.invalid.length > 0) throw invalid(type, String(meta['name']), check.invalid);
}

export class ResourceHandlers {
  readonly #store: ObjectStore;
  readonly #now: () => Date;

  constructor(store: ObjectStore, now: () => Date) {
    this.#store = store;
    this.#now = now;
  }

  #requireNamespace(req: ResourceRequest): void {
    if (req.type.namespaced && req.namespace !== undefined && !this.#store.namespaces.has(req.namespace)) throw namespaceNotFound(req.namespace);
  }

  get(req: ResourceRequest): Reply {
    const found = this.#store.get(req.type, req.namespace, req.name!);
    if (found === undefined) throw notFound(req.type, req.name!);
    return { status: 200, body: found };
  }

  list(req: ResourceRequest): Reply {
    const matches = parseLabelSelector(req.query.get('labelSelector'));
    const items = this.#store.list(req.type, req.namespace).filter((o) => matches((o['metadata'] as Json)['labels'] as Record<string, string>));
    return {
      status: 200,
      body: { apiVersion: apiVersionOf(req.type), kind: `${req.type.kind}List`, metadata: { resourceVersion: String(this.#store.revision) }, items },
    };
  }

  create(req: ResourceRequest): Reply {
    this.#requireNamespace(req);
    const body = parseBody(req.body, false);
    checkBody(req, body);
    const name = String((body['metadata'] as Json)['name']);
    if (this.#store.get(req.type, req.namespace, name) !== undefined) throw alreadyExists(req.type, name);
    if (req.namespace !== undefined) (body['metadata'] as Json)['namespace'] = req.namespace;
    const next = updateAs({ apiVersion: body['apiVersion'], kind: body['kind'], metadata: {} }, body, req.query.get('fieldManager') ?? 'unknown', time(this.#now));
    if (dryRunOf(req.query)) return { status: 201, body: this.#store.prepare(req.type, undefined, next) };
    return { status: 201, body: this.#store.put(req.type, next).object };
  }

  patch(req: ResourceRequest): Reply {
    const contentType = req.contentType.split(';')[0]!.trim();
    if (contentType === 'application/apply-patch+yaml') return this.#apply(req);
    if (contentType === 'application/merge-patch+json') return this.#mergePatch(req);
    throw unsupportedMediaType(contentType);
  }

  #apply(req: ResourceRequest): Reply {
    const manager = req.query.get('fieldManager');
    if (manager === null || manager === '') {
      throw new ApiStatusError({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
        message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] },
      });
    }
    const force = req.query.get('force');
    if (force !== null && force !== 'true' && force !== 'false') throw badRequest(`Invalid value: "${force}": force must be true or false`);
    this.#requireNamespace(req);
    const body = parseBody(req.body, true);
    checkBody(req, body);
    const live = this.#store.get(req.type, req.namespace, req.name!);
    if (live === undefined) req.authorizeCreate();
    const applied = serverSideApply({ live, body, manager, force: force === 'true', time: time(this.#now) });
    if (dryRunOf(req.query)) return { status: live === undefined ? 201 : 200, body: this.#store.prepare(req.type, live, applied) };
    const stored = this.#store.put(req.type, applied);
    return { status: stored.created ? 201 : 200, body: stored.object };
  }

  #mergePatch(req: ResourceRequest): Reply {
    const live = this.#store.get(req.type, req.namespace, req.name!);
    if (live === undefined) throw notFound(req.type, req.name!);
    const patch = parseBody(req.body, false);
    const merged = mergePatch(live, patch) as Json;
    const next = updateAs(live, merged, req.query.get('fieldManager') ?? 'unknown', time(this.#now));
    if (dryRunOf(req.query)) return { status: 200, body: this.#store.prepare(req.type, live, next) };
    return { status: 200, body: this.#store.put(req.type, next).object };
  }

  delete(req: ResourceRequest): Reply {
    const live = this.#store.get(req.type, req.namespace, req.name!);
    if (live === undefined) throw notFound(req.type, req.name!);
    let policy = req.query.get('propagationPolicy');
    if (policy === null && req.body.trim() !== '') policy = (parseBody(req.body, false)['propagationPolicy'] as string | undefined) ?? null;
    if (policy !== null && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw badRequest(`Invalid value: "${policy}": propagationPolicy must be Background, Foreground or Orphan`);
    }
    if (dryRunOf(req.query)) return { status: 200, body: success(req.type, req.name!, String((live['metadata'] as Json)['uid'])) };
    const gone = this.#store.delete(req.type, req.namespace, req.name!, (policy ?? 'Background') as PropagationPolicy);
    if (policy === 'Foreground') return { status: 200, body: gone };
    return { status: 200, body: success(req.type, req.name!, String((live['metadata'] as Json)['uid'])) };
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Json = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
