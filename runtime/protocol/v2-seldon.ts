/**
 * @module The graph's V2 front door: an Open Inference Protocol request ↔ the Seldon message the graph runs on.
 *
 * Request (one input tensor):
 * - numeric and BOOL inputs → `data.tensor {shape, values}` (BOOL as 1/0);
 * - BYTES with one element → `strData`; BYTES with more → `data.ndarray` of strings, nested by `shape`;
 * - the request `id` → `meta.puid` (so it travels through the graph and comes back as the response `id`);
 * - the request `parameters` → `meta.tags` (so components see them; they come back as `tags.<key>`), except
 *   the binary extension's `binary_data_output`.
 * A request with several inputs is a 400: a Seldon message carries one tensor, and no mapping of several
 * named tensors onto it is faithful (send one input, or use the Seldon protocol with `jsonData`).
 *
 * Response (one output tensor):
 * - `data.tensor` / numeric `data.ndarray` → the requested datatype (`outputs[0].parameters.datatype`), else
 *   the declared one (the `datatype` option: the model's metadata), else the input's datatype when every value
 *   fits it (so an INT8 tensor through an echoing graph comes back INT8), else FP64 for an FP64 input, else FP32;
 * - string ndarray → BYTES, boolean ndarray → BOOL; `strData` → BYTES `[1]`;
 * - `binData` → BYTES `[1]` holding base64 (output parameter `content_type: "base64"`);
 * - `jsonData` and ragged or mixed ndarrays → BYTES `[1]` holding JSON (`content_type: "application/json"`);
 * - `meta` → response `parameters`, flat and spec-valid: `puid`, `routing.<node>` (number),
 *   `requestPath.<node>` (string), `tags.<key>` for tags whose values are strings, numbers or booleans.
 */
import { findNotRectangular, flattenInto, leadingShape, reshape } from './_arrays.ts';
import { ProtocolError, REASONS } from './errors.ts';
import type { SeldonMessage } from './seldon-types.ts';
import { checkElement, isDatatype } from './v2-datatypes.ts';
import { buildInferenceResponse } from './v2-response.ts';
import { plainValues, type TypedValues } from './packed-values.ts';
import type { Datatype, InferenceParameters, InferenceRequest, InferenceResponse, RequestOutput, ResponseOutput, TensorElement } from './v2-types.ts';

/** The V2 input a Seldon message came from, kept so that the response can be built. */
export interface V2InputInfo {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface SeldonFromV2 {
  message: SeldonMessage;
  input: V2InputInfo;
  id?: string;
  outputs?: RequestOutput[];
}

export const DEFAULT_OUTPUT_NAME = 'output-0';
export const DEFAULT_OUTPUT_DATATYPE: Datatype = 'FP32';

/** A parsed V2 request → the Seldon message for the graph, plus what the response needs. */
export function inferenceRequestToSeldon(request: InferenceRequest): SeldonFromV2 {
  if (request.inputs.length !== 1) {
    const names = request.inputs.map((i) => i.name).join(', ');
    throw new ProtocolError(
      `inputs: expected exactly one input tensor, received ${request.inputs.length} (${names}); this endpoint maps one tensor onto a Seldon message. Send one input, or call the Seldon protocol with jsonData`,
      { status: 400, reason: REASONS.unsupported, field: 'inputs' },
    );
  }
  const input = request.inputs[0] as (typeof request.inputs)[number];
  let message: SeldonMessage;
  if (input.datatype === 'BYTES') {
    message = input.data.length === 1 ? { strData: String(input.data[0]) } : { data: { ndarray: asNdarray(input.data as TensorElement[], input.shape) } };
  } else {
    // FP32/FP64 sent as raw bytes stay a typed array: the orchestrator passes it to the model as bytes.
    const values = input.datatype === 'BOOL' ? (input.data as TensorElement[]).map((v) => (v === true ? 1 : 0)) : (input.data as number[] | TypedValues);
    message = { data: { tensor: { shape: [...input.shape], values } } };
  }
  if (request.id !== undefined) message.meta = { puid: request.id };
  const tags = parametersToTags(request.parameters);
  if (tags !== undefined) message.meta = { ...message.meta, tags };
  const out: SeldonFromV2 = { message, input: { name: input.name, datatype: input.datatype, shape: [...input.shape] } };
  if (request.id !== undefined) out.id = request.id;
  if (request.outputs !== undefined) out.outputs = request.outputs;
  return out;
}

export interface SeldonToV2Options {
  modelName: string;
  modelVersion?: string | undefined;
  /** The request id; when absent, `meta.puid` is used. */
  id?: string | undefined;
  /** The outputs the request asked for; at most one can be served. Its `parameters.datatype` may pick the datatype. */
  outputs?: RequestOutput[] | undefined;
  /** The request's input (from `inferenceRequestToSeldon`): an FP64 input makes FP64 the default numeric output. */
  input?: V2InputInfo | undefined;
  /** Datatype for numeric outputs when the request does not pick one (default FP32, or FP64 for an FP64 input). */
  datatype?: Datatype | undefined;
  /** Output name when the request does not name one (default `output-0`). */
  outputName?: string | undefined;
  /** The output names the model declares; when given, a request naming another output is a 400. */
  knownOutputs?: readonly string[] | undefined;
}

/** The graph's Seldon answer → a V2 inference response. A Seldon FAILURE status becomes that error. */
export function seldonToInferenceResponse(message: SeldonMessage, options: SeldonToV2Options): InferenceResponse {
  if (message.status?.status === 'FAILURE') {
    const code = message.status.code >= 400 && message.status.code <= 599 ? message.status.code : 500;
    throw new ProtocolError(message.status.info || 'the graph answered with a failure status', {
      status: code,
      reason: message.status.reason || REASONS.internal,
    });
  }
  const requested = options.outputs ?? [];
  if (requested.length > 1) {
    throw new ProtocolError(
      `outputs: expected at most one requested output, received ${requested.length} (${requested.map((o) => o.name).join(', ')}); the graph answers one tensor`,
      { status: 400, reason: REASONS.unsupported, field: 'outputs' },
    );
  }
  const wanted = requested[0];
  const wantedType = wanted?.parameters?.['datatype'];
  if (wantedType !== undefined && !isDatatype(wantedType)) {
    throw new ProtocolError(`outputs[0].parameters.datatype: unsupported datatype ${JSON.stringify(wantedType)}`, {
      status: 400,
      reason: REASONS.invalidRequest,
      field: 'outputs[0].parameters.datatype',
    });
  }
  const known = options.knownOutputs ?? [];
  if (wanted !== undefined && known.length > 0 && !known.includes(wanted.name)) {
    throw new ProtocolError(
      `outputs[0].name: this model has no output ${JSON.stringify(wanted.name)}; expected ${known.map((n) => JSON.stringify(n)).join(' or ')}`,
      { status: 400, reason: REASONS.invalidRequest, field: 'outputs[0].name' },
    );
  }
  const chosen = (wantedType as Datatype | undefined) ?? options.datatype;
  const name = wanted?.name ?? options.outputName ?? DEFAULT_OUTPUT_NAME;
  const output = toOutput(message, name, chosen ?? ((values) => fallbackDatatype(values, options.input?.datatype)));
  const id = options.id ?? message.meta?.puid;
  return buildInferenceResponse({
    modelName: options.modelName,
    modelVersion: options.modelVersion,
    id,
    parameters: metaToParameters(message),
    outputs: [output],
  });
}

/** A numeric output's datatype: fixed, or chosen from the values. */
type NumericType = Datatype | ((values: readonly number[]) => Datatype);

/** With nothing requested or declared: the input's datatype when every value fits it, else FP64/FP32. */
function fallbackDatatype(values: readonly number[], input: Datatype | undefined): Datatype {
  if (input !== undefined && input !== 'BYTES') {
    const fits = input === 'BOOL' ? values.every((v) => v === 0 || v === 1) : values.every((v) => checkElement(input, v) === undefined);
    if (fits) return input;
  }
  return input === 'FP64' ? 'FP64' : DEFAULT_OUTPUT_DATATYPE;
}

function toOutput(message: SeldonMessage, name: string, numeric: NumericType): ResponseOutput {
  const typeFor = (values: readonly number[]): Datatype => (typeof numeric === 'function' ? numeric(values) : numeric);
  const tensor = message.data?.tensor;
  if (tensor !== undefined) {
    const values = plainValues(tensor.values);
    const datatype = typeFor(values);
    return { name, shape: [...tensor.shape], datatype, data: numbersAs(datatype, values) };
  }
  const ndarray = message.data?.ndarray;
  if (ndarray !== undefined) {
    const shape = leadingShape(ndarray);
    for (const [datatype, isLeaf] of LEAF_KINDS) {
      if (findNotRectangular(ndarray, shape, isLeaf, 'elements', []) !== undefined) continue;
      const data: unknown[] = [];
      flattenInto(ndarray, data);
      if (datatype !== 'numeric') return { name, shape, datatype, data: data as TensorElement[] };
      const numericType = typeFor(data as number[]);
      return { name, shape, datatype: numericType, data: numbersAs(numericType, data as number[]) };
    }
    return jsonOutput(name, ndarray);
  }
  if (message.strData !== undefined) return { name, shape: [1], datatype: 'BYTES', data: [message.strData] };
  if (message.binData !== undefined) {
    return { name, shape: [1], datatype: 'BYTES', parameters: { content_type: 'base64' }, data: [message.binData] };
  }
  if ('jsonData' in message && message.jsonData !== undefined) return jsonOutput(name, message.jsonData);
  throw new ProtocolError('the graph answered without a payload (no data, strData, binData or jsonData)', {
    status: 500,
    reason: REASONS.badOutput,
  });
}

/** Request parameters → Seldon tags (the binary extension's own parameter is not a tag). */
function parametersToTags(parameters: InferenceParameters | undefined): Record<string, unknown> | undefined {
  if (parameters === undefined) return undefined;
  const tags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key !== 'binary_data_output' && key !== '__proto__') tags[key] = value;
  }
  return Object.keys(tags).length === 0 ? undefined : tags;
}

/** Numbers as elements of `datatype`: BOOL takes non-zero as true; other types are checked by the builder. */
function numbersAs(datatype: Datatype, values: readonly number[]): TensorElement[] {
  return datatype === 'BOOL' ? values.map((v) => v !== 0) : (values as number[]);
}

const LEAF_KINDS: ReadonlyArray<readonly [Datatype | 'numeric', (leaf: unknown) => boolean]> = [
  ['numeric', (leaf) => typeof leaf === 'number'],
  ['BYTES', (leaf) => typeof leaf === 'string'],
  ['BOOL', (leaf) => typeof leaf === 'boolean'],
];

function jsonOutput(name: string, value: unknown): ResponseOutput {
  return { name, shape: [1], datatype: 'BYTES', parameters: { content_type: 'application/json' }, data: [JSON.stringify(value)] };
}

/** Seldon meta → flat, spec-valid response parameters (string/number/boolean values only). */
export function metaToParameters(message: SeldonMessage): InferenceParameters | undefined {
  const meta = message.meta;
  if (meta === undefined) return undefined;
  const out: InferenceParameters = {};
  if (meta.puid !== undefined && meta.puid !== '') out['puid'] = meta.puid;
  for (const [node, index] of Object.entries(meta.routing ?? {})) out[`routing.${node}`] = index;
  for (const [node, fn] of Object.entries(meta.requestPath ?? {})) out[`requestPath.${node}`] = fn;
  for (const [key, value] of Object.entries(meta.tags ?? {})) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      out[`tags.${key}`] = value;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function asNdarray(data: readonly TensorElement[], shape: readonly number[]): unknown[] {
  const nested = reshape(data, shape);
  return Array.isArray(nested) ? nested : [nested];
}

