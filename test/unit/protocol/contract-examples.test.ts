/**
 * The example payloads in shared/contracts/examples: the valid ones parse, the invalid and non-conforming
 * ones are rejected with messages that name the field.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { parseSeldonFeedback, parseSeldonMessage } from '../../../runtime/protocol/seldon-schema.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';
import { buildInferenceResponse } from '../../../runtime/protocol/v2-response.ts';
import { inferenceRequestToSeldon, seldonToInferenceResponse } from '../../../runtime/protocol/v2-seldon.ts';
import type { InferenceResponse } from '../../../runtime/protocol/v2-types.ts';
import { example, examples } from './_contracts.ts';

function rejection(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected the payload to be rejected');
}

describe('Seldon examples', () => {
  const all = examples('seldon');
  it('finds the examples', () => expect(all.length).toBeGreaterThanOrEqual(13));

  it.each(all.filter(([file]) => file.startsWith('feedback-')))('%s parses as Feedback', (_file, json) => {
    const feedback = parseSeldonFeedback(json);
    expect(feedback.reward).toBe(1);
    expect(feedback.request?.data).toBeDefined();
  });

  it.each(all.filter(([file]) => !file.startsWith('feedback-')))('%s parses as SeldonMessage', (_file, json) => {
    expect(parseSeldonMessage(json)).toEqual(json);
  });

  it('keeps Metric.tags (prediction.proto has them, engine.oas3.json does not)', () => {
    const message = parseSeldonMessage(example('seldon', 'response-custom-metrics.json'));
    expect(message.meta?.metrics?.[0]).toEqual({ type: 'COUNTER', key: 'mycounter', value: 1, tags: { mytag: 'mytagvalue' } });
  });

  it('converts Seldon responses into V2 responses', () => {
    const routed = seldonToInferenceResponse(parseSeldonMessage(example('seldon', 'predict-response-meta-routing-requestpath.json')), { modelName: 'g' });
    expect(routed).toMatchObject({
      model_name: 'g',
      id: 'k89krp6t7tfgb386nt6vc3iftk',
      outputs: [{ name: 'output-0', shape: [1, 2], datatype: 'FP32', data: [0.6729318752883149, 0.3270681247116851] }],
    });
    expect(routed.parameters?.['routing.cleantext']).toBe(-1);
    expect(routed.parameters?.['requestPath.lrclassifier']).toBe('lr_text_classifier:0.1');
    const strings = seldonToInferenceResponse(parseSeldonMessage(example('seldon', 'predict-response-ndarray-strings.json')), { modelName: 'g' });
    expect(strings.outputs[0]).toEqual({ name: 'output-0', shape: [2], datatype: 'BYTES', data: ['hello', 'world'] });
  });
});

describe('Open Inference Protocol examples', () => {
  const valid = [
    'infer-request-bytes-scalar-shape.json',
    'infer-request-fp32-iris.json',
    'infer-request-fp32-output-binary-param.json',
    'infer-request-int32-with-output.json',
    'infer-request-int32.json',
    'infer-request-mixed-int64-bytes-fp64.json',
  ];

  it.each(valid)('%s parses', (file) => {
    const request = parseInferenceRequest(example('v2', file));
    for (const input of request.inputs) {
      expect(input.data.length).toBe(input.shape.reduce((a, b) => a * b, 1));
    }
  });

  it('flattens the nested iris data', () => {
    const request = parseInferenceRequest(example('v2', 'infer-request-fp32-iris.json'));
    expect(request.inputs[0]?.data).toEqual([6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6]);
    expect(inferenceRequestToSeldon(request).message).toEqual({ data: { tensor: { shape: [2, 4], values: [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6] } } });
  });

  it('maps the single BYTES scalar onto strData', () => {
    const request = parseInferenceRequest(example('v2', 'infer-request-bytes-scalar-shape.json'));
    expect(inferenceRequestToSeldon(request).message).toEqual({ strData: 'Hello, my dog is cute.' });
  });

  it('refuses the 11-input Titanic request on the one-tensor front door, naming the inputs', () => {
    const request = parseInferenceRequest(example('v2', 'infer-request-mixed-int64-bytes-fp64.json'));
    expect(() => inferenceRequestToSeldon(request)).toThrow(/received 11 \(PassengerId, Pclass, Name/);
  });

  it('rejects INT322 and suggests INT32', () => {
    const err = rejection(() => parseInferenceRequest(example('v2', 'invalid-infer-request-datatype.json')));
    expect(err.status).toBe(400);
    expect(err.field).toBe('inputs[0].datatype');
    expect(err.message).toBe(
      'Invalid inference request: inputs[0].datatype: unsupported datatype string "INT322" (did you mean INT32?); expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES',
    );
  });

  it('rejects the non-conforming shape -1 / string data sample, naming both fields', () => {
    const err = rejection(() => parseInferenceRequest(example('v2', 'nonconforming-infer-request-bytes-shape-minus1.json')));
    expect(err.field).toBe('inputs[0].shape');
    expect(err.message).toContain('inputs[0].shape: expected array, received number -1');
    expect(err.message).toContain('inputs[0].data: expected array, received string');
  });

  it("rejects the spec's own example, whose BOOL input has shape [3] but one element", () => {
    const err = rejection(() => parseInferenceRequest(example('v2', 'infer-request-uint32-bool-spec-example.json')));
    expect(err.field).toBe('inputs[1].data');
    expect(err.message).toContain('inputs[1].data: expected 3 element(s) (the product of shape [3]), received 1');
  });

  it('rebuilds the example response with the builder', () => {
    const response = example('v2', 'infer-response-fp32.json') as InferenceResponse;
    expect(buildInferenceResponse({ modelName: response.model_name, id: response.id, outputs: response.outputs })).toEqual(response);
  });
});
