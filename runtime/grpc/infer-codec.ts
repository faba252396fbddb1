/**
 * @module `ModelInferRequest` ↔ the REST inference request, and the REST inference response ↔
 * `ModelInferResponse`. gRPC calls are served by the same REST path (one conversion to the graph's Seldon
 * messages), so this module only does what is particular to gRPC:
 * - tensor data from the typed `contents` field that matches the datatype (INT8/16/32 → `int_contents`,
 *   UINT8/16/32 → `uint_contents`, INT64 → `int64_contents`, …), or from `raw_input_contents` (one entry per
 *   input, the layout of v2-raw.ts; the only way to send FP16); using the wrong field, both, or a count that
 *   does not match is a 400 naming the field;
 * - `InferParameter` (a oneof) ↔ a JSON string, number or boolean;
 * - the answer in the form the request used: `raw_output_contents` when the request sent raw inputs (or an
 *   output is FP16, which has no typed field), else typed `contents`.
 * Everything else — datatypes, shape against element count, value ranges — is checked once, by the REST path.
 */
import { ProtocolError, REASONS } from '../protocol/errors.ts';
import { isDatatype, unknownDatatypeMessage } from '../protocol/v2-datatypes.ts';
import { decodeRawTensor, encodeRawTensor } from '../protocol/v2-raw.ts';
import type { Datatype, InferenceParameters, InferenceResponse, TensorElement } from '../protocol/v2-types.ts';
import type { TypedValues } from '../protocol/packed-values.ts';

type Long = string | number;

export interface InferParameterMessage {
  parameter_choice?: string;
  bool_param?: boolean;
  int64_param?: Long;
  string_param?: string;
  double_param?: number;
  uint64_param?: Long;
}

export type ParameterMap = Record<string, InferParameterMessage>;

export interface TensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: Long[];
  uint_contents?: number[];
  uint64_contents?: Long[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Uint8Array[];
}

export interface ModelInferRequestMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters?: ParameterMap;
  inputs?: Array<{ name?: string; datatype?: string; shape?: Long[]; parameters?: ParameterMap; contents?: TensorContents | null }>;
  outputs?: Array<{ name?: string; parameters?: ParameterMap }>;
  raw_input_contents?: Uint8Array[];
}

/** The contents field each datatype's elements go in (FP16 has none: raw only). */
export const CONTENTS_FIELD: Readonly<Partial<Record<Datatype, keyof TensorContents>>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

const CONTENT_FIELDS = Object.keys({
  bool_contents: 0,
  int_contents: 0,
  int64_contents: 0,
  uint_contents: 0,
  uint64_contents: 0,
  fp32_contents: 0,
  fp64_contents: 0,
  bytes_contents: 0,
} satisfies Record<keyof TensorContents, 0>) as Array<keyof TensorContents>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface RestInferCall {
  model: string;
  version: string | undefined;
  /** The REST request body (JSON); checked by the REST path. */
  body: Record<string, unknown>;
  /** Whether the answer should use raw_output_contents. */
  raw: boolean;
}

/** A ModelInferRequest → the REST call that serves it. Throws 400 `ProtocolError`s naming the gRPC field. */
export function modelInferToRest(request: ModelInferRequestMessage): RestInferCall {
  const model = request.model_name ?? '';
  if (model === '') throw bad('model_name: is required (the model to run; this graph serves one, named after the graph)', 'model_name');
  const inputs = request.inputs ?? [];
  const raw = request.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw bad(`raw_input_contents: expected one entry per input (${inputs.length}), received ${raw.length}`, 'raw_input_contents');
  }
  const body: Record<string, unknown> = {
    inputs: inputs.map((input, i) => {
      const datatype = input.datatype ?? '';
      const shape = (input.shape ?? []).map(Number);
      const present = CONTENT_FIELDS.filter((f) => (input.contents?.[f]?.length ?? 0) > 0);
      let data: TensorElement[] | TypedValues;
      if (raw.length > 0) {
        if (present.length > 0) {
          throw bad(`inputs[${i}].contents.${present[0]}: must be empty when raw_input_contents is used (send each tensor one way)`, `inputs[${i}].contents`);
        }
        if (!isDatatype(datatype)) throw bad(`inputs[${i}].datatype: ${unknownDatatypeMessage(datatype)}`, `inputs[${i}].datatype`);
        data = decodeRawTensor(raw[i] as Uint8Array, datatype, shape, `raw_input_contents[${i}]`);
      } else {
        data = typedContents(input.contents ?? {}, datatype, present, i);
      }
      const out: Record<string, unknown> = { name: input.name ?? '', shape, datatype, data };
      const parameters = parametersToJson(input.parameters, `inputs[${i}].parameters`);
      if (parameters !== undefined) out['parameters'] = parameters;
      return out;
    }),
  };
  if (request.id !== undefined && request.id !== '') body['id'] = request.id;
  const parameters = parametersToJson(request.parameters, 'parameters');
  if (parameters !== undefined) body['parameters'] = parameters;
  if ((request.outputs ?? []).length > 0) {
    body['outputs'] = (request.outputs ?? []).map((o, i) => {
      const own = parametersToJson(o.parameters, `outputs[${i}].parameters`);
      return own === undefined ? { name: o.name ?? '' } : { name: o.name ?? '', parameters: own };
    });
  }
  return { model, version: request.model_version === '' ? undefined : request.model_version, body, raw: raw.length > 0 };
}

function typedContents(contents: TensorContents, datatype: string, present: Array<keyof TensorContents>, i: number): TensorElement[] {
  const field = CONTENTS_FIELD[datatype as Datatype];
  if (present.length > 1) {
    throw bad(`inputs[${i}].contents: expected one contents field, received ${present.join(' and ')}`, `inputs[${i}].contents`);
  }
  const used = present[0];
  if (used === undefined) return [];
  if (!isDatatype(datatype)) throw bad(`inputs[${i}].datatype: ${unknownDatatypeMessage(datatype)}`, `inputs[${i}].datatype`);
  if (field === undefined) {
    throw bad(`inputs[${i}].contents.${used}: FP16 has no contents field: send it in raw_input_contents`, `inputs[${i}].contents.${used}`);
  }
  if (used !== field) {
    throw bad(`inputs[${i}].contents.${used}: a ${datatype} tensor's elements go in contents.${field} (or raw_input_contents)`, `inputs[${i}].contents.${used}`);
  }
  const values = contents[field] as unknown[];
  if (field === 'int64_contents' || field === 'uint64_contents') return values.map((v) => Number(v));
  if (field === 'fp32_contents' || field === 'fp64_contents') {
    const j = values.findIndex((v) => !Number.isFinite(v));
    if (j >= 0) {
      throw bad(`inputs[${i}].contents.${field}[${j}]: ${String(values[j])} cannot be carried (the graph runs on JSON, which has no NaN or Infinity)`, `inputs[${i}].contents.${field}[${j}]`);
    }
  }
  if (field === 'bytes_contents') {
    return values.map((v, j) => {
      try {
        return utf8.decode(v as Uint8Array);
      } catch {
        throw bad(`inputs[${i}].contents.bytes_contents[${j}]: BYTES must be UTF-8 text here (the graph carries them as JSON strings)`, `inputs[${i}].contents.bytes_contents[${j}]`);
      }
    });
  }
  return values as TensorElement[];
}

/** InferParameter map → JSON parameters (undefined when empty). 64-bit values beyond 2^53-1 are a 400. */
export function parametersToJson(map: ParameterMap | undefined, field: string): InferenceParameters | undefined {
  if (map === undefined) return undefined;
  const out: InferenceParameters = {};
  for (const [key, parameter] of Object.entries(map)) {
    if (key === '__proto__') throw bad(`${field}.__proto__: is not an accepted key (it could change object prototypes); remove it`, `${field}.__proto__`);
    const choice = parameter.parameter_choice;
    if (choice === undefined) throw bad(`${field}["${key}"]: expected one of bool_param, int64_param, string_param, double_param, uint64_param; received none`, `${field}["${key}"]`);
    const value = parameter[choice as keyof InferParameterMessage];
    if (choice === 'int64_param' || choice === 'uint64_param') {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw bad(`${field}["${key}"].${choice}: ${String(value)} is beyond ±(2^53-1), which JSON numbers carry exactly`, `${field}["${key}"]`);
      out[key] = n;
    } else if (choice === 'double_param') {
      if (!Number.isFinite(value)) throw bad(`${field}["${key}"].double_param: ${String(value)} cannot be carried as JSON (no NaN or Infinity)`, `${field}["${key}"]`);
      out[key] = value as number;
    } else {
      out[key] = value as string | boolean;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** JSON parameters → InferParameter map: strings, booleans, integers (int64) and other numbers (double). */
export function parametersFromJson(parameters: InferenceParameters | undefined): ParameterMap {
  const out: ParameterMap = {};
  for (const [key, value] of Object.entries(parameters ?? {})) {
    if (typeof value === 'string') out[key] = { string_param: value };
    else if (typeof value === 'boolean') out[key] = { bool_param: value };
    else if (Number.isSafeInteger(value)) out[key] = { int64_param: value };
    else out[key] = { double_param: value };
  }
  return out;
}

/** A REST inference response → ModelInferResponse, raw when asked (or when an output is FP16). */
export function restToModelInfer(response: InferenceResponse, raw: boolean): Record<string, unknown> {
  const useRaw = raw || response.outputs.some((o) => CONTENTS_FIELD[o.datatype] === undefined);
  const message: Record<string, unknown> = {
    model_name: response.model_name,
    model_version: response.model_version ?? '',
    id: response.id ?? '',
    parameters: parametersFromJson(response.parameters),
    outputs: response.outputs.map((output) => {
      const tensor: Record<string, unknown> = {
        name: output.name,
        datatype: output.datatype,
        shape: output.shape,
        parameters: parametersFromJson(output.parameters),
      };
      if (!useRaw) tensor['contents'] = { [CONTENTS_FIELD[output.datatype] as string]: typedValues(output.datatype, output.data) };
      return tensor;
    }),
  };
  if (useRaw) message['raw_output_contents'] = response.outputs.map((o) => Buffer.from(encodeRawTensor(o.data, o.datatype)));
  return message;
}

/** Tensor elements as the typed contents field of their datatype holds them (BYTES as bytes, 64-bit as strings). */
export function typedValues(datatype: Datatype, data: readonly TensorElement[]): unknown[] {
  if (datatype === 'BYTES') return data.map((v) => Buffer.from(String(v), 'utf8'));
  if (datatype === 'INT64' || datatype === 'UINT64') return data.map((v) => String(v));
  return [...data];
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { status: 400, reason: REASONS.invalidRequest, field });
}
