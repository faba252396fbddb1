/**
 * @module The Open Inference Protocol's binary tensor data extension (Triton's; KServe documents it).
 *
 * A request may send tensors as raw bytes after its JSON: the `Inference-Header-Content-Length` header gives
 * the JSON's length, and each binary input carries `parameters.binary_data_size` instead of `data`. A
 * request may ask for binary outputs with `parameters.binary_data_output: true` (all outputs) or
 * `outputs[i].parameters.binary_data: true`; the response is then the JSON header (binary outputs carry
 * `parameters.binary_data_size` and no `data`) followed by the outputs' bytes, with the same header, as
 * `application/octet-stream`. Raw layout: see v2-raw.ts.
 */
import type { PathSegment, PayloadIssue } from './_issues.ts';
import { describeValue } from './_issues.ts';
import { ProtocolError, REASONS } from './errors.ts';
import { assertSafeJson } from './json-guard.ts';
import { decodeRawTensor, encodeRawTensor } from './v2-raw.ts';
import type { InferenceParameters, InferenceRequest, InferenceResponse } from './v2-types.ts';

/** The header that announces a binary-extension body (lower-cased, as `Headers` gives it). */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';
const HEADER = 'Inference-Header-Content-Length';

/**
 * A body sent with `Inference-Header-Content-Length: headerLength` → the JSON inference request, each binary
 * input's `data` decoded from the bytes after the JSON (and its `binary_data_size` removed). 400s name the
 * header or the input.
 */
export function decodeBinaryRequestBody(body: Uint8Array, headerLength: string): unknown {
  const length = Number(headerLength.trim());
  if (!/^\d+$/.test(headerLength.trim()) || length > body.byteLength || length === 0) {
    throw bad(`${HEADER}: expected the length in bytes of the JSON at the start of the body (1 to ${body.byteLength}), received ${JSON.stringify(headerLength)}`, HEADER);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body.subarray(0, length)));
  } catch (error) {
    throw bad(`the first ${length} bytes of the body (${HEADER}) are not valid JSON: ${(error as Error).message}`, HEADER);
  }
  assertSafeJson(json);
  let offset = length;
  const inputs = (json as { inputs?: unknown } | null)?.inputs;
  if (Array.isArray(inputs)) {
    inputs.forEach((input: unknown, i) => {
      if (input === null || typeof input !== 'object') return;
      const record = input as Record<string, unknown>;
      const parameters = record['parameters'];
      if (parameters === null || typeof parameters !== 'object' || !Object.hasOwn(parameters, 'binary_data_size')) return;
      const field = `inputs[${i}].parameters.binary_data_size`;
      const { binary_data_size: size, ...rest } = parameters as Record<string, unknown>;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw bad(`${field}: expected a non-negative integer number of bytes, received ${describeValue(size)}`, field);
      }
      if (record['data'] !== undefined) throw bad(`inputs[${i}].data: give either data or parameters.binary_data_size, not both`, `inputs[${i}].data`);
      if (offset + size > body.byteLength) {
        throw bad(`${field}: ${size} byte(s) expected but only ${body.byteLength - offset} remain after the JSON and earlier binary inputs`, field);
      }
      record['data'] = decodeRawTensor(body.subarray(offset, offset + size), record['datatype'], Array.isArray(record['shape']) ? record['shape'] : [], `inputs[${i}] (binary data)`);
      if (Object.keys(rest).length > 0) record['parameters'] = rest;
      else delete record['parameters'];
      offset += size;
    });
  }
  if (offset !== body.byteLength) {
    throw bad(`${HEADER}: ${body.byteLength - offset} byte(s) after the JSON are not claimed by any input's parameters.binary_data_size`, HEADER);
  }
  return json;
}

/** Issues with the extension's parameters in a JSON-only (structurally valid) inference request. */
export function binaryExtensionIssues(request: {
  parameters?: Record<string, unknown> | undefined;
  inputs: unknown[];
  outputs?: Array<{ parameters?: Record<string, unknown> | undefined }> | undefined;
}): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  const flag = (parameters: unknown, key: string, path: PathSegment[]): void => {
    if (parameters === null || typeof parameters !== 'object' || !Object.hasOwn(parameters, key)) return;
    const value = (parameters as Record<string, unknown>)[key];
    if (typeof value !== 'boolean') issues.push({ path: [...path, 'parameters', key], message: `expected true or false, received ${describeValue(value)}` });
  };
  flag(request.parameters, 'binary_data_output', []);
  request.inputs.forEach((input, i) => {
    const parameters = input !== null && typeof input === 'object' ? (input as { parameters?: unknown }).parameters : undefined;
    if (parameters !== null && typeof parameters === 'object' && Object.hasOwn(parameters, 'binary_data_size')) {
      issues.push({
        path: ['inputs', i, 'parameters', 'binary_data_size'],
        message: `binary input data needs the ${HEADER} header (binary tensor data extension); send data as JSON, or send the header`,
      });
    }
  });
  request.outputs?.forEach((output, i) => flag(output.parameters, 'binary_data', ['outputs', i]));
  return issues;
}

/** Whether the request asks for output `name` as binary data. */
export function wantsBinaryOutput(request: Pick<InferenceRequest, 'parameters' | 'outputs'>, name: string): boolean {
  const own = request.outputs?.find((o) => o.name === name)?.parameters?.['binary_data'];
  if (typeof own === 'boolean') return own;
  return request.parameters?.['binary_data_output'] === true;
}

/**
 * The response in the extension's form when the request asked for any binary output: the JSON header and the
 * bytes after it, and the header's length. Undefined when every output stays JSON.
 */
export function encodeBinaryResponse(
  response: InferenceResponse,
  request: Pick<InferenceRequest, 'parameters' | 'outputs'>,
): { body: Uint8Array; headerLength: number } | undefined {
  if (!response.outputs.some((o) => wantsBinaryOutput(request, o.name))) return undefined;
  const chunks: Uint8Array[] = [];
  const header: InferenceResponse = {
    ...response,
    outputs: response.outputs.map((output) => {
      if (!wantsBinaryOutput(request, output.name)) return output;
      const bytes = encodeRawTensor(output.data, output.datatype);
      chunks.push(bytes);
      const { data: _data, ...rest } = output;
      const parameters: InferenceParameters = { ...output.parameters, binary_data_size: bytes.byteLength };
      return { ...rest, parameters } as unknown as InferenceResponse['outputs'][number];
    }),
  };
  return withJsonHeader(header, chunks);
}

/** The extension's body: `header` as JSON, then `chunks` one after the other; and the header's length. */
export function withJsonHeader(header: unknown, chunks: readonly Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(head.byteLength + chunks.reduce((n, c) => n + c.byteLength, 0));
  body.set(head, 0);
  let at = head.byteLength;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { body, headerLength: head.byteLength };
}

function bad(message: string, field: string): ProtocolError {
  return new ProtocolError(message, { status: 400, reason: REASONS.invalidRequest, field });
}
