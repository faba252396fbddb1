import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { buildInferenceResponse, buildModelMetadata } from '../../../runtime/protocol/v2-response.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../../../runtime/protocol/v2-seldon.ts';

describe('inferenceRequestToSeldon', () => {
  it.each([
    {
      name: 'FP32 → tensor, id → puid',
      request: { id: 'r1', inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [[1, 2]] }] },
      message: { data: { tensor: { shape: [1, 2], values: [1, 2] } }, meta: { puid: 'r1' } },
    },
    {
      name: 'BOOL → tensor of 1/0',
      request: { inputs: [{ name: 'b', shape: [2], datatype: 'BOOL', data: [true, false] }] },
      message: { data: { tensor: { shape: [2], values: [1, 0] } } },
    },
    {
      name: 'one BYTES element → strData',
      request: { inputs: [{ name: 's', shape: [], datatype: 'BYTES', data: ['Hello'] }] },
      message: { strData: 'Hello' },
    },
    {
      name: 'several BYTES → ndarray nested by shape',
      request: { inputs: [{ name: 's', shape: [2, 1], datatype: 'BYTES', data: ['a', 'b'] }] },
      message: { data: { ndarray: [['a'], ['b']] } },
    },
  ])('$name', ({ request, message }) => {
    const converted = inferenceRequestToSeldon(parseInferenceRequest(request));
    expect(converted.message).toEqual(message);
    const first = request.inputs[0] as { name: string; datatype: string; shape: number[] };
    expect(converted.input).toEqual({ name: first.name, datatype: first.datatype, shape: first.shape });
  });

  it('refuses several inputs with a 400 that says what to do', () => {
    const request = parseInferenceRequest({
      inputs: [
        { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
        { name: 'b', shape: [1], datatype: 'FP32', data: [2] },
      ],
    });
    expect(() => inferenceRequestToSeldon(request)).toThrow(/inputs: expected exactly one input tensor, received 2 \(a, b\)/);
  });
});

describe('seldonToInferenceResponse', () => {
  const base = { modelName: 'm' };
  it.each<{ name: string; message: SeldonMessage; options?: Record<string, unknown>; output: Record<string, unknown> }>([
    { name: 'tensor → FP32', message: { data: { tensor: { shape: [1, 2], values: [0.1, 0.9] } } }, output: { name: 'output-0', shape: [1, 2], datatype: 'FP32', data: [0.1, 0.9] } },
    { name: 'numeric ndarray → FP32, flattened', message: { data: { ndarray: [[1, 2], [3, 4]] } }, output: { name: 'output-0', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] } },
    { name: 'string ndarray → BYTES', message: { data: { names: [], ndarray: ['hello', 'world'] } }, output: { name: 'output-0', shape: [2], datatype: 'BYTES', data: ['hello', 'world'] } },
    { name: 'bool ndarray → BOOL', message: { data: { ndarray: [true] } }, output: { name: 'output-0', shape: [1], datatype: 'BOOL', data: [true] } },
    { name: 'empty ndarray', message: { data: { ndarray: [] } }, output: { name: 'output-0', shape: [0], datatype: 'FP32', data: [] } },
    { name: 'strData → BYTES [1]', message: { strData: 'hi' }, output: { name: 'output-0', shape: [1], datatype: 'BYTES', data: ['hi'] } },
    { name: 'binData → base64 BYTES', message: { binData: 'aGk=' }, output: { name: 'output-0', shape: [1], datatype: 'BYTES', parameters: { content_type: 'base64' }, data: ['aGk='] } },
    { name: 'jsonData → JSON BYTES', message: { jsonData: { a: 1 } }, output: { name: 'output-0', shape: [1], datatype: 'BYTES', parameters: { content_type: 'application/json' }, data: ['{"a":1}'] } },
    { name: 'ragged ndarray → JSON BYTES', message: { data: { ndarray: [[1], [2, 3]] } }, output: { name: 'output-0', shape: [1], datatype: 'BYTES', parameters: { content_type: 'application/json' }, data: ['[[1],[2,3]]'] } },
    {
      name: 'requested output name and datatype',
      message: { data: { tensor: { shape: [2], values: [1, 2] } } },
      options: { outputs: [{ name: 'y', parameters: { datatype: 'INT64' } }] },
      output: { name: 'y', shape: [2], datatype: 'INT64', data: [1, 2] },
    },
    { name: 'FP64 input → FP64 output', message: { data: { tensor: { shape: [1], values: [1] } } }, options: { input: { name: 'x', datatype: 'FP64', shape: [1] } }, output: { name: 'output-0', shape: [1], datatype: 'FP64', data: [1] } },
    { name: 'datatype BOOL from numbers', message: { data: { tensor: { shape: [2], values: [1, 0] } } }, options: { datatype: 'BOOL' }, output: { name: 'output-0', shape: [2], datatype: 'BOOL', data: [true, false] } },
  ])('$name', ({ message, options, output }) => {
    expect(seldonToInferenceResponse(message, { ...base, ...options })).toEqual({ model_name: 'm', outputs: [output] });
  });

  it('carries id (from the request, else puid) and meta as flat, spec-valid parameters', () => {
    const message: SeldonMessage = {
      data: { tensor: { shape: [1], values: [1] } },
      meta: { puid: 'p1', tags: { model: 'a', score: 1, nested: { no: true } }, routing: { router: 1 }, requestPath: { a: 'fn-a' }, metrics: [{ key: 'k', type: 'COUNTER', value: 1 }] },
    };
    const response = seldonToInferenceResponse(message, { modelName: 'g', modelVersion: '2' });
    expect(response.id).toBe('p1');
    expect(response.model_version).toBe('2');
    expect(response.parameters).toEqual({ puid: 'p1', 'routing.router': 1, 'requestPath.a': 'fn-a', 'tags.model': 'a', 'tags.score': 1 });
    for (const value of Object.values(response.parameters ?? {})) expect(['string', 'number', 'boolean']).toContain(typeof value);
    expect(seldonToInferenceResponse(message, { modelName: 'g', id: 'req' }).id).toBe('req');
  });

  it.each([
    { name: 'a Seldon failure status', message: { status: { code: 422, info: 'bad', reason: 'x', status: 'FAILURE' as const } }, status: 422, text: 'bad' },
    { name: 'no payload', message: { meta: {} }, status: 500, text: 'without a payload' },
    { name: 'values that do not fit the datatype', message: { data: { tensor: { shape: [1], values: [1.5] } } }, options: { datatype: 'INT32' as const }, status: 500, text: 'outputs[0].data[0]: output "output-0": expected an integer' },
    { name: 'two requested outputs', message: { strData: 'x' }, options: { outputs: [{ name: 'a' }, { name: 'b' }] }, status: 400, text: 'expected at most one requested output, received 2' },
    { name: 'a bad requested datatype', message: { strData: 'x' }, options: { outputs: [{ name: 'a', parameters: { datatype: 'F32' } }] }, status: 400, text: 'outputs[0].parameters.datatype' },
  ])('errors for $name', ({ message, options, status, text }) => {
    try {
      seldonToInferenceResponse(message as SeldonMessage, { modelName: 'm', ...options });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).status).toBe(status);
      expect((error as ProtocolError).message).toContain(text);
    }
  });

  it('round-trips a V2 request through Seldon and back', () => {
    const request = parseInferenceRequest({ id: '7', inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }], outputs: [{ name: 'probs' }] });
    const { message, input } = inferenceRequestToSeldon(request);
    const response = seldonToInferenceResponse(message, { modelName: 'm', id: request.id, outputs: request.outputs, input });
    expect(response).toEqual({ model_name: 'm', id: '7', parameters: { puid: '7' }, outputs: [{ name: 'probs', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }] });
  });
});

describe('builders', () => {
  it('checks element counts of outputs', () => {
    expect(() => buildInferenceResponse({ modelName: 'm', outputs: [{ name: 'o', shape: [3], datatype: 'FP32', data: [1] }] })).toThrow(
      /outputs\[0\]\.data: output "o" has 1 element\(s\) but shape \[3\] needs 3/,
    );
  });

  it('builds model metadata without empty versions', () => {
    expect(buildModelMetadata({ name: 'm', platform: 'p', versions: [] })).toEqual({ name: 'm', platform: 'p', inputs: [], outputs: [] });
  });
});
