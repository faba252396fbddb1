/**
 * @module Schema checks of objects written to the fake apiserver, split the way the real one splits them on
 * server-side apply (DESIGN.md, "Facts about the Kubernetes API"):
 *
 * - `typeProblems`: the body does not fit the schema (a field not declared, a wrong type). The real apiserver
 *   answers these with HTTP 500 "failed to create typed patch object".
 * - `invalid`: values that fit the type but fail validation (a quantity not matching its pattern, a required
 *   field missing): HTTP 422 Invalid.
 *
 * Knative kinds are checked against the CRDs in the shared contracts folder, closed against unknown fields except
 * under `x-kubernetes-preserve-unknown-fields` (test/helpers/knative-schema.ts). Core kinds have small closed
 * schemas of their own. No webhook runs: enums and ranges are not checked, as on a cluster without Knative's.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { closeSchema, knativeCrdFile, loadCrdSchema, OBJECT_META_SCHEMA, type JsonSchema, type KnativeKind } from '../knative-schema.ts';
import type { ResourceType } from './resources.ts';

export interface SchemaCheck {
  typeProblems: string[];
  invalid: Array<{ field: string; message: string }>;
}

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

const CORE_SCHEMAS: Record<string, JsonSchema> = {
  ConfigMap: {
    type: 'object',
    additionalProperties: false,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: OBJECT_META_SCHEMA, data: STRING_MAP, binaryData: STRING_MAP, immutable: { type: 'boolean' } },
  },
  Secret: {
    type: 'object',
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: OBJECT_META_SCHEMA,
      data: { type: 'object', additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } },
      stringData: STRING_MAP,
      type: { type: 'string' },
      immutable: { type: 'boolean' },
    },
  },
  Namespace: {
    type: 'object',
    additionalProperties: false,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: OBJECT_META_SCHEMA, spec: { type: 'object' }, status: { type: 'object' } },
  },
};

/** Keywords whose failures mean "the body does not fit the schema" (500 on apply); the rest are 422. */
const TYPE_KEYWORDS = new Set(['additionalProperties', 'type', 'anyOf']);

const compiled = new Map<string, ValidateFunction>();

function validatorFor(type: ResourceType): ValidateFunction {
  const key = `${type.group}/${type.kind}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  let schema: JsonSchema;
  if (type.group === '') {
    schema = CORE_SCHEMAS[type.kind] ?? { type: 'object' };
  } else {
    schema = closeSchema(loadCrdSchema(knativeCrdFile(type.kind.toLowerCase() as KnativeKind)));
    (schema['properties'] as Record<string, JsonSchema>)['metadata'] = OBJECT_META_SCHEMA;
  }
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, strictTuples: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(schema);
  compiled.set(key, validate);
  return validate;
}

/** `/spec/template/spec/containers/0/image` → `.spec.template.spec.containers[0].image`. */
export function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
}

function describe(error: ErrorObject, object: unknown): { kind: 'type' | 'invalid'; text: string; field: string } {
  if (error.keyword === 'additionalProperties') {
    const field = fieldPath(error.instancePath, String(error.params['additionalProperty']));
    return { kind: 'type', field, text: `${field}: field not declared in schema` };
  }
  const field = fieldPath(error.instancePath);
  if (TYPE_KEYWORDS.has(error.keyword)) {
    const got = valueAt(object, error.instancePath);
    const expected = error.keyword === 'type' ? String(error.params['type']) : 'int or string';
    return { kind: 'type', field, text: `${field}: expected ${expected}, got ${got === null ? 'null' : Array.isArray(got) ? 'list' : typeof got}` };
  }
  const got = valueAt(object, error.instancePath);
  return { kind: 'invalid', field: field.slice(1), text: `Invalid value: ${JSON.stringify(got)}: ${field.slice(1)} in body ${error.message ?? error.keyword}` };
}

function valueAt(object: unknown, instancePath: string): unknown {
  let at: unknown = object;
  for (const part of instancePath.split('/').slice(1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

/** Checks a whole object (an apply body or a create body) against its kind's schema. */
export function checkSchema(type: ResourceType, object: unknown): SchemaCheck {
  const validate = validatorFor(type);
  if (validate(object)) return { typeProblems: [], invalid: [] };
  const typeProblems: string[] = [];
  const invalid: SchemaCheck['invalid'] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // anyOf reports each branch's failure too; keep the anyOf summary only.
    if (error.schemaPath.includes('/anyOf/')) continue;
    const problem = describe(error, object);
    if (seen.has(problem.text)) continue;
    seen.add(problem.text);
    if (problem.kind === 'type') typeProblems.push(problem.text);
    else invalid.push({ field: problem.field, message: problem.text });
  }
  return { typeProblems, invalid };
}
