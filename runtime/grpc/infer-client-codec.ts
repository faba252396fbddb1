/**
 * @module The client side of ModelInfer: a REST inference request → `ModelInferRequest`, and the server's
 * `ModelInferResponse` → the REST inference response, for a graph's `grpc-v2` remote nodes (Triton, KServe,
 * MLServer over gRPC). infer-codec.ts is the server side of the same conversions.
 *
 * - Inputs go in `raw_input_contents` (little-endian bytes, the form Triton prefers): encoding a typed array is a
 *   copy, where the typed `contents` fields make protobufjs write each number in JavaScript, which costs more
 *   than the JSON it replaces (bench: remote-protocols). `{raw: false}` uses the typed fields instead, unless a
 *   datatype has none (FP16), since a request uses one form or the other.
 * - An answer may come either way: typed `contents`, or `raw_output_contents` (what Triton always sends). 64-bit
 *   integers arrive as decimal strings and become numbers when they fit exactly (else the answer cannot be read:
 *   the graph runs on JSON numbers); BYTES become UTF-8 strings.
 * - A response that cannot be read throws an `Error` that names the field (the caller makes it a 502).
 */
import { CONTENTS_FIELD, parametersFromJson, parametersToJson, typedValues, type ModelInferRequestMessage, type ParameterMap, type TensorContents } from './infer-codec.ts';
import { isDatatype, unknownDatatypeMessage } from '../protocol/v2-datatypes.ts';
import { decodeRawTensor, encodeRawTensor } from '../protocol/v2-raw.ts';
import type { Datatype, InferenceRequest, InferenceResponse, TensorElement } from '../protocol/v2-types.ts';

type Long = string | number;

/** A decoded ModelInferResponse (proto-loader: field names as in the .proto, 64-bit integers as strings). */
export interface ModelInferResponseMessage {
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters?: ParameterMap;
  outputs?: Array<{ name?: string; datatype?: string; shape?: Long[]; parameters?: ParameterMap; contents?: TensorContents | null }>;
  raw_output_contents?: Uint8Array[];
}

/** A REST inference request for `model` as the ModelInferRequest that carries it. */
export function restToModelInferRequest(request: InferenceRequest, model: string, options: { raw?: boolean } = {}): ModelInferRequestMessage {
  const raw = options.raw !== false || request.inputs.some((input) => CONTENTS_FIELD[input.datatype] === undefined);
  const message: ModelInferRequestMessage = {
    model_name: model,
    inputs: request.inputs.map((input) => {
      const tensor: NonNullable<ModelInferRequestMessage['inputs']>[number] = { name: input.name, datatype: input.datatype, shape: [...input.shape] };
      if (input.parameters !== undefined) tensor.parameters = parametersFromJson(input.parameters);
      if (!raw) tensor.contents = { [CONTENTS_FIELD[input.datatype] as string]: typedValues(input.datatype, input.data as TensorElement[]) };
      return tensor;
    }),
  };
  if (request.id !== undefined) message.id = request.id;
  if (request.parameters !== undefined) message.parameters = parametersFromJson(request.parameters);
  if (request.outputs !== undefined) message.outputs = request.outputs.map((output) => ({ name: output.name, ...(output.parameters ? { parameters: parametersFromJson(output.parameters) } : {}) }));
  if (raw) message.raw_input_contents = request.inputs.map((input) => encodeRawTensor(input.data as TensorElement[], input.datatype));
  return message;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A ModelInferResponse as the REST inference response it stands for. Throws an `Error` naming the field. */
export function modelInferResponseToRest(message: ModelInferResponseMessage): InferenceResponse {
  const outputs = message.outputs ?? [];
  const raw = message.raw_output_contents ?? [];
  if (raw.length > 0 && raw.length !== outputs.length) {
    throw new Error(`raw_output_contents: expected one entry per output (${outputs.length}), received ${raw.length}`);
  }
  const response: InferenceResponse = {
    model_name: message.model_name ?? '',
    outputs: outputs.map((output, i) => {
      const datatype = output.datatype ?? '';
      if (!isDatatype(datatype)) throw new Error(`outputs[${i}].datatype: ${unknownDatatypeMessage(datatype)}`);
      const shape = (output.shape ?? []).map((dim, d) => {
        const n = Number(dim);
        if (!Number.isSafeInteger(n) || n < 0) throw new Error(`outputs[${i}].shape[${d}]: expected a non-negative dimension, received ${String(dim)}`);
        return n;
      });
      const data = raw.length > 0 ? Array.from(decodeRawTensor(raw[i] as Uint8Array, datatype, shape, `raw_output_contents[${i}]`) as ArrayLike<TensorElement>) : contentsOf(output.contents ?? {}, datatype, i);
      const parameters = parametersToJson(output.parameters, `outputs[${i}].parameters`);
      return { name: output.name ?? '', datatype, shape, data, ...(parameters ? { parameters } : {}) };
    }),
  };
  if (message.model_version) response.model_version = message.model_version;
  if (message.id) response.id = message.id;
  const parameters = parametersToJson(message.parameters, 'parameters');
  if (parameters !== undefined) response.parameters = parameters;
  return response;
}

function contentsOf(contents: TensorContents, datatype: Datatype, i: number): TensorElement[] {
  const field = CONTENTS_FIELD[datatype];
  if (field === undefined) throw new Error(`outputs[${i}]: a ${datatype} output has no contents field; the server must send it in raw_output_contents`);
  const values = (contents[field] ?? []) as unknown[];
  if (field === 'int64_contents' || field === 'uint64_contents') {
    return values.map((value, j) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw new Error(`outputs[${i}].contents.${field}[${j}]: ${String(value)} is beyond ±(2^53-1), which the graph's JSON numbers carry exactly`);
      return n;
    });
  }
  if (field === 'bytes_contents') {
    return values.map((value, j) => {
      try {
        return utf8.decode(value as Uint8Array);
      } catch {
        throw new Error(`outputs[${i}].contents.bytes_contents[${j}]: is not UTF-8 text, which the graph carries BYTES as`);
      }
    });
  }
  return values as TensorElement[];
}
