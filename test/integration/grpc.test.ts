/**
 * The Open Inference Protocol over gRPC on the local engine, with a grpc-js client: every RPC, every datatype
 * through typed `contents` and through `raw_input_contents` (FP16 only there), parameters, and the status
 * codes the spec asks for. The graph is the contract suite's transformer → echo model.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRawTensor, encodeRawTensor } from '../../runtime/protocol/v2-raw.ts';
import type { Datatype } from '../../runtime/protocol/v2-types.ts';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { codeName, inferenceClient, type GrpcResult, type InferenceClient } from '../helpers/grpc-client.ts';

const FORMS = path.resolve(import.meta.dirname, '../contract/fixtures/forms/graph.yaml');
const LIMIT = 64 * 1024;

const TYPED: Array<{ datatype: Datatype; field: string; data: unknown[]; sent?: unknown[]; received?: unknown[] }> = [
  { datatype: 'BOOL', field: 'bool_contents', data: [true, false, true, true] },
  { datatype: 'UINT8', field: 'uint_contents', data: [0, 1, 128, 255] },
  { datatype: 'UINT16', field: 'uint_contents', data: [0, 1, 40_000, 65_535] },
  { datatype: 'UINT32', field: 'uint_contents', data: [0, 1, 3_000_000_000, 4_294_967_295] },
  { datatype: 'UINT64', field: 'uint64_contents', data: [0, 1, 2 ** 40, Number.MAX_SAFE_INTEGER], received: ['0', '1', String(2 ** 40), String(Number.MAX_SAFE_INTEGER)] },
  { datatype: 'INT8', field: 'int_contents', data: [-128, -1, 0, 127] },
  { datatype: 'INT16', field: 'int_contents', data: [-32_768, -1, 0, 32_767] },
  { datatype: 'INT32', field: 'int_contents', data: [-2_147_483_648, -1, 0, 2_147_483_647] },
  { datatype: 'INT64', field: 'int64_contents', data: [Number.MIN_SAFE_INTEGER, -1, 0, Number.MAX_SAFE_INTEGER], received: [String(Number.MIN_SAFE_INTEGER), '-1', '0', String(Number.MAX_SAFE_INTEGER)] },
  { datatype: 'FP32', field: 'fp32_contents', data: [-1.5, 0.25, 1024, 3.5] },
  { datatype: 'FP64', field: 'fp64_contents', data: [-1.7976931348623157e308, 0.1, 1e-300, 2.5] },
  { datatype: 'BYTES', field: 'bytes_contents', data: ['a', '', 'héllo', '{}'].map((s) => Buffer.from(s)) },
];

const RAW: Array<{ datatype: Datatype; data: Array<number | boolean | string> }> = [
  ...TYPED.filter((t) => t.datatype !== 'BYTES').map((t) => ({ datatype: t.datatype, data: t.data as Array<number | boolean> })),
  { datatype: 'FP16', data: [-65_504, 0.5, 0.0999755859375, 65_504] },
  { datatype: 'BYTES', data: ['a', '', 'héllo', '{}'] },
];

describe('gRPC inference.GRPCInferenceService on the local engine', () => {
  let graph: RunningGraph;
  let client: InferenceClient;
  beforeAll(async () => {
    graph = await startGraph(FORMS, { engine: { grpcPort: 0, bodyLimitBytes: LIMIT } });
    client = inferenceClient(graph.engine.grpcAddress!);
  });
  afterAll(async () => {
    client?.close();
    await graph?.stop();
  });

  const ok = (result: GrpcResult) => {
    if (!result.ok) throw new Error(`expected OK, received ${codeName(result.code)}: ${result.details}`);
    return result.value;
  };
  const good = { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: ['1'], contents: { fp32_contents: [1] } }] };

  it('answers ServerLive, ServerReady, ServerMetadata, ModelReady and ModelMetadata', async () => {
    expect(ok(await client.call('ServerLive', {}))).toEqual({ live: true });
    expect(ok(await client.call('ServerReady', {}))).toEqual({ ready: true });
    expect(ok(await client.call('ServerMetadata', {}))).toEqual({ name: 'switchyard', version: '0.1.0', extensions: ['binary_tensor_data'] });
    expect(ok(await client.call('ModelReady', { name: 'forms' }))).toEqual({ ready: true });
    expect(ok(await client.call('ModelReady', { name: 'forms', version: '1' }))).toEqual({ ready: true });
    expect(ok(await client.call('ModelMetadata', { name: 'forms' }))).toEqual({ name: 'forms', versions: ['1'], platform: 'switchyard', inputs: [], outputs: [], properties: {} });
  });

  it.each(TYPED)('ModelInfer: $datatype through contents.$field and back', async ({ datatype, field, data, received }) => {
    const reply = ok(await client.call('ModelInfer', { model_name: 'forms', id: `g-${datatype}`, inputs: [{ name: 'x', datatype, shape: [2, 2], contents: { [field]: data } }] }));
    expect(reply).toMatchObject({ model_name: 'forms', id: `g-${datatype}`, raw_output_contents: [] });
    const [output] = reply.outputs;
    expect(output).toMatchObject({ name: 'output-0', datatype, shape: ['2', '2'] });
    expect(output.contents[field]).toEqual(received ?? data);
  });

  it.each(RAW)('ModelInfer: $datatype through raw_input_contents and back as raw_output_contents', async ({ datatype, data }) => {
    const raw = Buffer.from(encodeRawTensor(data, datatype));
    const reply = ok(await client.call('ModelInfer', { model_name: 'forms', inputs: [{ name: 'x', datatype, shape: [4] }], raw_input_contents: [raw] }));
    expect(reply.outputs[0]).toMatchObject({ datatype, shape: ['4'], contents: null });
    expect(reply.raw_output_contents).toHaveLength(1);
    expect(Buffer.from(reply.raw_output_contents[0]).equals(raw)).toBe(true);
    expect(Array.from(decodeRawTensor(reply.raw_output_contents[0], datatype, [4], 'out'))).toEqual(data);
  });

  it('carries InferParameters of every kind through the graph and back', async () => {
    const parameters = {
      tenant: { string_param: 'acme' },
      debug: { bool_param: true },
      count: { int64_param: '42' },
      ratio: { double_param: 0.25 },
      big: { uint64_param: '9007199254740991' },
    };
    const reply = ok(await client.call('ModelInfer', { ...good, parameters, outputs: [{ name: 'y', parameters: { datatype: { string_param: 'FP64' } } }] }));
    const kind = (key: string) => reply.parameters[key].parameter_choice;
    expect([kind('tags.tenant'), kind('tags.debug'), kind('tags.count'), kind('tags.ratio'), kind('tags.big')]).toEqual(['string_param', 'bool_param', 'int64_param', 'double_param', 'int64_param']);
    expect(reply.parameters['tags.tenant'].string_param).toBe('acme');
    expect(reply.parameters['tags.ratio'].double_param).toBe(0.25);
    expect(reply.parameters['tags.big'].int64_param).toBe('9007199254740991');
    expect(reply.outputs[0]).toMatchObject({ name: 'y', datatype: 'FP64', contents: { fp64_contents: [1] } });
  });

  it.each([
    { name: 'an unknown model', request: { ...good, model_name: 'nope' }, code: 'NOT_FOUND', details: /model "nope" is not served here: this graph is served as model "forms"/ },
    { name: 'an unknown version', request: { ...good, model_version: '9' }, code: 'NOT_FOUND', details: /no version "9"; available: 1/ },
    { name: 'no model name', request: { ...good, model_name: '' }, code: 'INVALID_ARGUMENT', details: /^model_name: is required/ },
    { name: 'the wrong contents field', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'INT64', shape: [1], contents: { int_contents: [1] } }] }, code: 'INVALID_ARGUMENT', details: /inputs\[0\]\.contents\.int_contents: a INT64 tensor's elements go in contents\.int64_contents/ },
    { name: 'FP16 in contents', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP16', shape: [1], contents: { fp32_contents: [1] } }] }, code: 'INVALID_ARGUMENT', details: /FP16 has no contents field: send it in raw_input_contents/ },
    { name: 'raw and contents at once', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }], raw_input_contents: [Buffer.alloc(4)] }, code: 'INVALID_ARGUMENT', details: /must be empty when raw_input_contents is used/ },
    { name: 'fewer raw entries than inputs', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }, { name: 'y', datatype: 'FP32', shape: [1] }], raw_input_contents: [Buffer.alloc(4)] }, code: 'INVALID_ARGUMENT', details: /raw_input_contents: expected one entry per input \(2\), received 1/ },
    { name: 'raw bytes that do not fit the shape', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [3] }], raw_input_contents: [Buffer.alloc(8)] }, code: 'INVALID_ARGUMENT', details: /raw_input_contents\[0\]: expected 12 bytes/ },
    { name: 'an enormous shape', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: ['1000000000000'] }], raw_input_contents: [Buffer.alloc(4)] }, code: 'INVALID_ARGUMENT', details: /expected 4000000000000 bytes/ },
    { name: 'an unknown datatype', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP31', shape: [1], contents: { fp32_contents: [1] } }] }, code: 'INVALID_ARGUMENT', details: /^inputs\[0\]\.datatype: unsupported datatype string "FP31" \(did you mean FP32\?\)/ },
    { name: 'an INT8 out of range', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'INT8', shape: [1], contents: { int_contents: [300] } }] }, code: 'INVALID_ARGUMENT', details: /inputs\[0\]\.data\[0\]: expected an integer in \[-128, 127\] for INT8/ },
    { name: 'an INT64 beyond 2^53-1', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'INT64', shape: [1], contents: { int64_contents: ['9223372036854775807'] } }] }, code: 'INVALID_ARGUMENT', details: /expected an integer in \[-9007199254740991, 9007199254740991\] for INT64/ },
    { name: 'BYTES that are not UTF-8', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'BYTES', shape: [1], contents: { bytes_contents: [Buffer.from([0xff, 0xfe])] } }] }, code: 'INVALID_ARGUMENT', details: /bytes_contents\[0\]: BYTES must be UTF-8 text/ },
    { name: 'NaN in raw FP32', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }], raw_input_contents: [Buffer.from(new Float32Array([NaN]).buffer)] }, code: 'INVALID_ARGUMENT', details: /element 0 is NaN/ },
    { name: 'shape and element count disagreeing', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2], contents: { fp32_contents: [1, 2, 3] } }] }, code: 'INVALID_ARGUMENT', details: /expected 4 element\(s\) \(the product of shape \[2,2\]\), received 3/ },
    { name: 'a message over the size limit', request: { model_name: 'forms', inputs: [{ name: 'x', datatype: 'UINT8', shape: [LIMIT * 2] }], raw_input_contents: [Buffer.alloc(LIMIT * 2)] }, code: 'RESOURCE_EXHAUSTED', details: /./ },
  ])('answers $name with $code naming the problem, then serves the next request', async ({ request, code, details }) => {
    const result = await client.call('ModelInfer', request);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(codeName(result.code)).toBe(code);
    expect(result.details).toMatch(details);
    expect(ok(await client.call('ModelInfer', good)).outputs[0].contents.fp32_contents).toEqual([1]);
  });

  it('answers NOT_FOUND for the readiness and metadata of an unknown model, INVALID_ARGUMENT without a name', async () => {
    for (const method of ['ModelReady', 'ModelMetadata']) {
      const unknown = await client.call(method, { name: 'nope' });
      expect(unknown.ok || codeName(unknown.code)).toBe('NOT_FOUND');
      const unnamed = await client.call(method, {});
      expect(unnamed.ok || codeName(unnamed.code)).toBe('INVALID_ARGUMENT');
    }
  });
});
