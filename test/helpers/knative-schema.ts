/**
 * @module Validators for Knative Serving objects, compiled from the CRDs in the shared contracts folder.
 *
 * The CRDs' openAPIV3Schema never says `additionalProperties: false`: Kubernetes prunes unknown fields on create
 * and refuses them on server-side apply ("field not declared in schema"). To catch a misspelled field here as
 * the apiserver would on apply, every `type: object` with `properties` and no `x-kubernetes-preserve-unknown-fields`
 * is closed. `x-kubernetes-int-or-string` becomes `anyOf: [integer, string]`; other `x-kubernetes-*` markers
 * (list and map types) only matter to apply's merge and are dropped. The top-level `metadata`, only
 * `{type: object}` in the CRD, is validated as a closed ObjectMeta (its usual fields) because the apiserver
 * knows that type too.
 *
 * The contracts folder is `../shared/contracts` from the repository root, or `$SWITCHYARD_CONTRACTS_DIR`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

export type JsonSchema = { [keyword: string]: unknown };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared contracts folder: `$SWITCHYARD_CONTRACTS_DIR`, else `<repo>/../shared/contracts`. */
export function contractsDir(): string {
  const fromEnv = process.env['SWITCHYARD_CONTRACTS_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.resolve(REPO_ROOT, '..', 'shared', 'contracts');
}

export type KnativeKind = 'service' | 'configuration' | 'revision' | 'route';

/** The `openAPIV3Schema` of a CRD version, as written in the file. */
export function loadCrdSchema(file: string, version = 'v1'): JsonSchema {
  const crd = parse(readFileSync(file, 'utf8')) as {
    spec: { versions: Array<{ name: string; schema?: { openAPIV3Schema?: JsonSchema } }> };
  };
  const found = crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  if (found === undefined) throw new Error(`${file} has no openAPIV3Schema for version ${version}`);
  return found;
}

/** The CRD file of a Knative Serving kind in the contracts folder. */
export function knativeCrdFile(kind: KnativeKind): string {
  return path.join(contractsDir(), 'knative-serving', `${kind}.yaml`);
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';
const EMBEDDED = 'x-kubernetes-embedded-resource';
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf']);
const SUBSCHEMAS = new Set(['items', 'not', 'additionalProperties', 'additionalItems']);
const DROPPED = new Set(['description', 'example', 'externalDocs']);

/** A structural-schema node rewritten for ajv as described in the module comment (closed objects). */
export function closeSchema(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || DROPPED.has(key)) continue;
    if (SUBSCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, closeSchema(v)]));
    } else if (SUBSCHEMA_LISTS.has(key)) {
      out[key] = (value as JsonSchema[]).map(closeSchema);
    } else if (SUBSCHEMAS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = closeSchema(value as JsonSchema);
    } else {
      out[key] = value;
    }
  }
  if (node[INT_OR_STRING] === true) {
    delete out['type'];
    if (out['anyOf'] === undefined) out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  const open = node[PRESERVE] === true || node[EMBEDDED] === true;
  if (node['type'] === 'object' && node['properties'] !== undefined && !open && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** The ObjectMeta fields a client may send, closed like the rest. */
export const OBJECT_META_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 },
    generateName: { type: 'string' },
    namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    managedFields: { type: 'array', items: { type: 'object' } },
  },
};

export interface SchemaValidator {
  /** Problems as `path: message` lines; empty when the object fits. */
  check(object: unknown): string[];
}

function formatErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => {
    const at = e.instancePath === '' ? '/' : e.instancePath;
    const extra = e.keyword === 'additionalProperties' ? ` "${String(e.params['additionalProperty'])}"` : '';
    return `${at}: ${e.message ?? e.keyword}${extra}`;
  });
}

const cache = new Map<string, SchemaValidator>();

/** A validator for one Knative Serving kind (v1), closed as described above. Compiled once per kind. */
export function knativeValidator(kind: KnativeKind = 'service'): SchemaValidator {
  const file = knativeCrdFile(kind);
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const schema = closeSchema(loadCrdSchema(file));
  const properties = schema['properties'] as Record<string, JsonSchema>;
  properties['metadata'] = OBJECT_META_SCHEMA;
  schema['required'] = ['apiVersion', 'kind', 'metadata'];
  properties['apiVersion'] = { type: 'string', const: 'serving.knative.dev/v1' };
  properties['kind'] = { type: 'string', const: `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}` };
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, strictTuples: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(schema);
  const validator: SchemaValidator = {
    check(object) {
      return validate(object) ? [] : formatErrors(validate);
    },
  };
  cache.set(file, validator);
  return validator;
}

/** The Knative Service validator. */
export function knativeServiceValidator(): SchemaValidator {
  return knativeValidator('service');
}
