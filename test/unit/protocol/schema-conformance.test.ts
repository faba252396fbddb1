/**
 * What the codecs produce, checked against the published schemas with ajv: Open Inference Protocol bodies
 * against open_inference_rest.yaml, Seldon bodies against engine.oas3.json (jsonData is left out: that file
 * lacks it, see the contracts README).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ProtocolError, seldonErrorBody, v2ErrorBody } from '../../../runtime/protocol/errors.ts';
import { xToMessage } from '../../../runtime/protocol/seldon-payload.ts';
import { buildModelMetadata } from '../../../runtime/protocol/v2-response.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../../../runtime/protocol/v2-seldon.ts';
import { contractsDir, example } from './_contracts.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validator(document: unknown, schema: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'uint64']) ajv.addFormat(format, true);
  ajv.addSchema(document as object, 'doc');
  const validate = ajv.getSchema(`doc#/components/schemas/${schema}`);
  if (validate === undefined) throw new Error(`no schema ${schema}`);
  return (value: unknown) => {
    const ok = validate(value);
    return ok ? 'valid' : JSON.stringify(validate.errors);
  };
}

const oip = parse(readFileSync(path.join(contractsDir(), 'open-inference-protocol', 'open_inference_rest.yaml'), 'utf8')) as unknown;
const seldon = JSON.parse(readFileSync(path.join(contractsDir(), 'seldon-core', 'engine.oas3.json'), 'utf8')) as unknown;

describe('Open Inference Protocol schemas', () => {
  const response = validator(oip, 'inference_response');
  const request = validator(oip, 'inference_request');

  it.each([
    { name: 'tensor', message: { data: { tensor: { shape: [1, 2], values: [0.5, 0.5] } }, meta: { puid: 'p', routing: { r: 1 }, tags: { a: 'b' } } } },
    { name: 'strings', message: { data: { ndarray: ['a', 'b'] } } },
    { name: 'json', message: { jsonData: { a: [1] } } },
    { name: 'binary', message: { binData: 'AAE=' } },
  ])('a converted $name response is a valid inference_response', ({ message }) => {
    expect(response(seldonToInferenceResponse(message, { modelName: 'm', id: '1' }))).toBe('valid');
  });

  it('every example request stays valid after parsing (flattened data)', () => {
    for (const file of ['infer-request-fp32-iris.json', 'infer-request-mixed-int64-bytes-fp64.json', 'infer-request-bytes-scalar-shape.json']) {
      expect(request(parseInferenceRequest(example('v2', file)))).toBe('valid');
    }
  });

  it('error bodies and model metadata are valid', () => {
    const err = new ProtocolError('inputs[0].datatype: unsupported datatype', { field: 'inputs[0].datatype' });
    expect(validator(oip, 'inference_error_response')(v2ErrorBody(err))).toBe('valid');
    expect(validator(oip, 'metadata_model_error_response')(v2ErrorBody(err))).toBe('valid');
    const metadata = buildModelMetadata({ name: 'm', platform: 'onnx_onnxv1', versions: ['1'], inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }] });
    expect(validator(oip, 'metadata_model_response')(metadata)).toBe('valid');
  });
});

describe('Seldon engine.oas3.json schemas', () => {
  const message = validator(seldon, 'SeldonMessage');

  it('error bodies are valid SeldonMessages', () => {
    expect(message(seldonErrorBody(new ProtocolError('data.tensor.values: expected 4 values', { reason: 'invalid_message' })))).toBe('valid');
    expect(message(seldonErrorBody(new ProtocolError('boom', { status: 500 })))).toBe('valid');
  });

  it.each([
    { name: 'tensor', X: [[1, 2]], form: 'tensor' as const },
    { name: 'ndarray', X: [['a', 1]], form: 'ndarray' as const },
    { name: 'strData', X: 'x', form: 'strData' as const },
    { name: 'binData', X: new Uint8Array([1, 2]), form: 'binData' as const },
  ])('xToMessage($name) is a valid SeldonMessage', ({ X, form }) => {
    expect(message(xToMessage(X, form, ['a', 'b']))).toBe('valid');
  });

  it('a V2 request converted for the graph is a valid SeldonMessage', () => {
    for (const file of ['infer-request-fp32-iris.json', 'infer-request-bytes-scalar-shape.json', 'infer-request-int32.json']) {
      expect(message(inferenceRequestToSeldon(parseInferenceRequest(example('v2', file))).message)).toBe('valid');
    }
  });
});
