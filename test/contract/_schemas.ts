/**
 * Validators for the published specs in the shared contracts folder ($SWITCHYARD_CONTRACTS_DIR, else
 * <repo>/../shared/contracts), compiled with ajv + ajv-formats:
 * - Open Inference Protocol: open_inference_rest.yaml's `components.schemas` (its paths are `${MODEL_NAME}`
 *   templates and list only versioned routes, so bodies are checked against the component schemas);
 * - Seldon: engine.oas3.json and wrapper.oas3.json `components.schemas`, with two overlays from
 *   prediction.proto that the OpenAPI files lack (contracts README, pitfall 3): `SeldonMessage.jsonData` and
 *   `Metric.tags`. The overlays are applied to a copy at load time; the files are never changed.
 * The OpenAPI formats the Seldon files use (int32, int64, float, double, byte, binary, boolean, uint64) are
 * registered as known formats.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function contractsDir(): string {
  const fromEnv = process.env['SWITCHYARD_CONTRACTS_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'contracts');
}

/** Why the contract tests cannot run here, or undefined when the contracts folder is present. */
export function contractsMissing(): string | undefined {
  const dir = contractsDir();
  return existsSync(path.join(dir, 'open-inference-protocol', 'open_inference_rest.yaml'))
    ? undefined
    : `the contracts folder ${dir} is absent (set SWITCHYARD_CONTRACTS_DIR)`;
}

export type Check = (value: unknown) => string;

function compile(document: object, id: string): (schema: string) => Check {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'boolean', 'uint64']) ajv.addFormat(format, true);
  ajv.addSchema(document, id);
  return (schema) => {
    const validate: ValidateFunction | undefined = ajv.getSchema(`${id}#/components/schemas/${schema}`);
    if (validate === undefined) throw new Error(`${id} has no schema ${schema}`);
    return (value) => (validate(value) ? 'valid' : `${schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  };
}

/** prediction.proto's fields that the Seldon OpenAPI files lack, added to a copy of the document. */
function withProtoOverlays(document: Record<string, any>): object {
  const copy = structuredClone(document);
  const schemas = copy.components.schemas;
  schemas.SeldonMessage.properties.jsonData = { $ref: '#/components/schemas/AnyValue' };
  schemas.Metric.properties.tags = { type: 'object', additionalProperties: { type: 'string' } };
  return copy;
}

let cache: { oip: (s: string) => Check; engine: (s: string) => Check; wrapper: (s: string) => Check } | undefined;

function load() {
  if (cache !== undefined) return cache;
  const dir = contractsDir();
  const oip = parse(readFileSync(path.join(dir, 'open-inference-protocol', 'open_inference_rest.yaml'), 'utf8')) as object;
  const engine = JSON.parse(readFileSync(path.join(dir, 'seldon-core', 'engine.oas3.json'), 'utf8')) as Record<string, any>;
  const wrapper = JSON.parse(readFileSync(path.join(dir, 'seldon-core', 'wrapper.oas3.json'), 'utf8')) as Record<string, any>;
  cache = { oip: compile(oip, 'oip'), engine: compile(withProtoOverlays(engine), 'engine'), wrapper: compile(withProtoOverlays(wrapper), 'wrapper') };
  return cache;
}

/** `oip('inference_response')(body)` → 'valid' or the first errors. */
export const oip = (schema: string): Check => load().oip(schema);
/** Seldon's external API (engine.oas3.json + proto overlays). */
export const engine = (schema: string): Check => load().engine(schema);
/** Seldon's internal component API (wrapper.oas3.json + proto overlays). */
export const wrapper = (schema: string): Check => load().wrapper(schema);
