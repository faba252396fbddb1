/**
 * @module A ModelInfer call whose tensors came as `raw_input_contents`, served through the REST path in the binary
 * tensor data extension (protocol/v2-binary.ts) rather than JSON: the raw bytes go after the JSON header as they
 * came, and the answer comes back the same way, its bytes handed on as `raw_output_contents`. No tensor is
 * written as JSON numbers and read back (bench: remote-protocols, Switchyard's own gRPC server).
 */
import { INFERENCE_HEADER_CONTENT_LENGTH, withJsonHeader } from '../protocol/v2-binary.ts';
import { encodeRawTensor } from '../protocol/v2-raw.ts';
import type { InferenceParameters, InferenceResponse } from '../protocol/v2-types.ts';
import { parametersFromJson } from './infer-codec.ts';

/**
 * The REST request body (checked by modelInferToRest, its inputs' `data` decoded) as the extension's body: each
 * input's `data` replaced by `parameters.binary_data_size` and its raw bytes, every output asked for as bytes.
 */
export function binaryInferBody(body: Record<string, unknown>, raw: readonly Uint8Array[]): { bytes: Uint8Array; headerLength: number } {
  const inputs = (body['inputs'] as Array<Record<string, unknown>>).map((input, i) => {
    const { data: _data, ...rest } = input;
    return { ...rest, parameters: { ...(input['parameters'] as InferenceParameters | undefined), binary_data_size: raw[i]!.byteLength } };
  });
  const header = { ...body, inputs, parameters: { ...(body['parameters'] as InferenceParameters | undefined), binary_data_output: true } };
  const { body: bytes, headerLength } = withJsonHeader(header, raw);
  return { bytes, headerLength };
}

type OutputHeader = InferenceResponse['outputs'][number] & { parameters?: InferenceParameters };

/** The extension's answer (JSON header, then each binary output's bytes) as a ModelInferResponse with raw outputs. */
export function binaryInferAnswer(bytes: Uint8Array, headerLength: number): Record<string, unknown> {
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength))) as InferenceResponse & { outputs: OutputHeader[] };
  let at = headerLength;
  const raw: Uint8Array[] = [];
  const outputs = header.outputs.map((output) => {
    const { binary_data_size: size, ...parameters } = output.parameters ?? {};
    if (typeof size === 'number') {
      raw.push(bytes.subarray(at, at + size));
      at += size;
    } else {
      // An output the graph answered as JSON: a request uses one form, so it goes raw as well.
      raw.push(encodeRawTensor(output.data, output.datatype));
    }
    return { name: output.name, datatype: output.datatype, shape: output.shape, parameters: parametersFromJson(parameters) };
  });
  return {
    model_name: header.model_name,
    model_version: header.model_version ?? '',
    id: header.id ?? '',
    parameters: parametersFromJson(header.parameters),
    outputs,
    raw_output_contents: raw.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
  };
}

/** Whether a REST answer is in the extension's form, and where its JSON header ends. */
export function binaryHeaderLength(headers: Headers): number | undefined {
  const value = headers.get(INFERENCE_HEADER_CONTENT_LENGTH);
  return value === null ? undefined : Number(value);
}
