/**
 * Every Open Inference Protocol datatype through a graph and back, with request and response validated against
 * open_inference_rest.yaml: BOOL, UINT8…UINT64, INT8…INT64, FP16, FP32, FP64, BYTES; request and output
 * parameters; output selection; versioned paths; the binary tensor data extension (FP16 as raw half floats).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRawTensor, decodeRawTensor } from '../../runtime/protocol/v2-raw.ts';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { contractsMissing, oip } from './_schemas.ts';

const missing = contractsMissing();
const FORMS = path.resolve(import.meta.dirname, 'fixtures/forms/graph.yaml');

/** Extremes and ordinary values of every datatype (64-bit integers up to what JSON carries exactly). */
const DATATYPES: Array<{ datatype: string; data: Array<number | boolean | string> }> = [
  { datatype: 'BOOL', data: [true, false, false, true] },
  { datatype: 'UINT8', data: [0, 1, 128, 255] },
  { datatype: 'UINT16', data: [0, 1, 40_000, 65_535] },
  { datatype: 'UINT32', data: [0, 1, 3_000_000_000, 4_294_967_295] },
  { datatype: 'UINT64', data: [0, 1, 2 ** 40, Number.MAX_SAFE_INTEGER] },
  { datatype: 'INT8', data: [-128, -1, 0, 127] },
  { datatype: 'INT16', data: [-32_768, -1, 0, 32_767] },
  { datatype: 'INT32', data: [-2_147_483_648, -1, 0, 2_147_483_647] },
  { datatype: 'INT64', data: [Number.MIN_SAFE_INTEGER, -1, 0, Number.MAX_SAFE_INTEGER] },
  { datatype: 'FP16', data: [-65_504, 0.5, 0.0999755859375, 65_504] },
  { datatype: 'FP32', data: [-3.4e38, 1.5, 0.1, 3.4e38] },
  { datatype: 'FP64', data: [-1.7976931348623157e308, 1e-300, 0.1, 1.7976931348623157e308] },
  { datatype: 'BYTES', data: ['a', '', 'héllo wörld', '{"json": true}'] },
];

describe.skipIf(missing !== undefined)(`every V2 datatype through a graph${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(FORMS);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it.each(DATATYPES)('$datatype round-trips with its datatype, shape and values', async ({ datatype, data }) => {
    const request = { id: `rt-${datatype}`, inputs: [{ name: 'x', shape: [2, 2], datatype, data }] };
    expect(oip('inference_request')(request)).toBe('valid');
    const { status, body } = await graph.post('/v2/models/forms/infer', request);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(oip('inference_response')(body)).toBe('valid');
    expect(body).toMatchObject({ model_name: 'forms', id: `rt-${datatype}` });
    expect(body.outputs).toEqual([{ name: 'output-0', shape: [2, 2], datatype, data }]);
  });

  it('carries request parameters through the graph as tags, back as response parameters', async () => {
    const request = { parameters: { tenant: 'acme', priority: 2, debug: true }, inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] };
    const { body } = await graph.post('/v2/models/forms/infer', request);
    expect(oip('inference_response')(body)).toBe('valid');
    expect(body.parameters).toMatchObject({ 'tags.tenant': 'acme', 'tags.priority': 2, 'tags.debug': true, 'tags.tagged_by': 'tagger', 'routing.tagger': -1 });
  });

  it('an output selected by name, with a datatype in its parameters, on the versioned path', async () => {
    const request = { inputs: [{ name: 'x', shape: [3], datatype: 'INT32', data: [1, 2, 3] }], outputs: [{ name: 'y', parameters: { datatype: 'FP64' } }] };
    const { status, body } = await graph.post('/v2/models/forms/versions/1/infer', request);
    expect(status).toBe(200);
    expect(oip('inference_response')(body)).toBe('valid');
    expect(body.model_version).toBe('1');
    expect(body.outputs).toEqual([{ name: 'y', shape: [3], datatype: 'FP64', data: [1, 2, 3] }]);
  });

  it('BYTES that came from binData and jsonData carry their content_type as an output parameter', async () => {
    const json = await graph.post('/v2/models/forms/infer', { inputs: [{ name: 'x', shape: [2], datatype: 'BYTES', data: ['a', 'b'] }], outputs: [{ name: 'text' }] });
    expect(json.body.outputs[0]).toEqual({ name: 'text', shape: [2], datatype: 'BYTES', data: ['a', 'b'] });
  });

  it('model metadata of a graph whose nodes declare no tensors is valid and says so (empty lists)', async () => {
    const { body } = await graph.get('/v2/models/forms');
    expect(oip('metadata_model_response')(body)).toBe('valid');
    expect(body).toEqual({ name: 'forms', versions: ['1'], platform: 'switchyard', inputs: [], outputs: [] });
  });

  describe('the binary tensor data extension', () => {
    const binaryRequest = (header: object, chunks: Uint8Array[]) => {
      const head = Buffer.from(JSON.stringify(header));
      return { body: Buffer.concat([head, ...chunks]), headerLength: head.byteLength };
    };

    it('FP16 as raw half floats in, raw half floats out (binary_data_output)', async () => {
      const values = [-65_504, 0.5, 0.0999755859375, 65_504, 5.960464477539063e-8, 6.103515625e-5];
      const raw = encodeRawTensor(values, 'FP16');
      const { body, headerLength } = binaryRequest(
        { parameters: { binary_data_output: true }, inputs: [{ name: 'x', shape: [6], datatype: 'FP16', parameters: { binary_data_size: raw.byteLength } }] },
        [raw],
      );
      const response = await fetch(`${graph.url}/v2/models/forms/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      const bytes = new Uint8Array(await response.arrayBuffer());
      const jsonLength = Number(response.headers.get('inference-header-content-length'));
      const header = JSON.parse(Buffer.from(bytes.subarray(0, jsonLength)).toString('utf8'));
      expect(header.outputs).toEqual([{ name: 'output-0', shape: [6], datatype: 'FP16', parameters: { binary_data_size: 12 } }]);
      expect(Buffer.from(bytes.subarray(jsonLength))).toEqual(Buffer.from(raw));
      expect(decodeRawTensor(bytes.subarray(jsonLength), 'FP16', [6], 'out')).toEqual(values);
    });

    it('binary BYTES in, JSON out when binary output is not asked for', async () => {
      const raw = encodeRawTensor(['ab', 'ç'], 'BYTES');
      const { body, headerLength } = binaryRequest({ inputs: [{ name: 'x', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: raw.byteLength } }] }, [raw]);
      const response = await fetch(`${graph.url}/v2/models/forms/infer`, { method: 'POST', headers: { 'inference-header-content-length': String(headerLength) }, body });
      const json = (await response.json()) as { outputs: unknown[] };
      expect(oip('inference_response')(json)).toBe('valid');
      expect(json.outputs).toEqual([{ name: 'output-0', shape: [2], datatype: 'BYTES', data: ['ab', 'ç'] }]);
    });

    it('a binary_data_size that does not match the shape is a 400 naming the input', async () => {
      const { body, headerLength } = binaryRequest({ inputs: [{ name: 'x', shape: [4], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }, [new Uint8Array(8)]);
      const response = await fetch(`${graph.url}/v2/models/forms/infer`, { method: 'POST', headers: { 'inference-header-content-length': String(headerLength) }, body });
      expect(response.status).toBe(400);
      const error = (await response.json()) as { error: string };
      expect(oip('inference_error_response')(error)).toBe('valid');
      expect(error.error).toBe('inputs[0] (binary data): expected 16 bytes (4 FP32 element(s) of 4 byte(s), shape [4]), received 8');
    });
  });
});
