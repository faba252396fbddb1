/** KServe's V1 protocol at the graph's front door: its request as a Seldon message, the graph's answer as its response. */
import { describe, expect, it } from 'vitest';
import { predictRequestToSeldon, seldonToPredictResponse } from '../../../runtime/protocol/kserve-v1-seldon.ts';

describe('predictRequestToSeldon', () => {
  it.each([
    ['rows of numbers', { instances: [[1, 2], [3, 4]] }, { data: { ndarray: [[1, 2], [3, 4]] } }],
    ['a list of numbers', { instances: [1, 2, 3] }, { data: { ndarray: [1, 2, 3] } }],
    ['strings and booleans', { instances: [['a', true]] }, { data: { ndarray: [['a', true]] } }],
    ['no instances at all', { instances: [] }, { data: { ndarray: [] } }],
  ])('sends %s as data.ndarray', (_name, body, message) => {
    expect(predictRequestToSeldon(body)).toEqual(message);
  });

  it('sends the body\'s other fields beside rows as meta.tags', () => {
    expect(predictRequestToSeldon({ instances: [[1, 2]], decision_picker: 'ABC', parameters: { top_k: 3 } })).toEqual({ data: { ndarray: [[1, 2]] }, meta: { tags: { decision_picker: 'ABC', parameters: { top_k: 3 } } } });
  });

  it.each([
    ['instances that are objects', { instances: [{ image_bytes: { b64: 'AAAA' } }] }],
    ['a body with other fields beside rows of objects', { instances: [[{ a: 1 }]], parameters: { top_k: 3 } }],
    ['a body without instances (a custom predictor\'s own)', { text: 'hello' }],
  ])('sends %s as jsonData, the body as it came', (_name, body) => {
    expect(predictRequestToSeldon(body)).toEqual({ jsonData: body });
  });

  it('refuses a body that is not an object, or instances that are not a list, naming instances', () => {
    expect(() => predictRequestToSeldon([[1, 2]])).toThrow(/the body must be a JSON object, \{"instances": \[...\]\}; received an array/);
    expect(() => predictRequestToSeldon('x')).toThrow(/received "x"/);
    expect(() => predictRequestToSeldon({ instances: { a: 1 } })).toThrow(expect.objectContaining({ status: 400, field: 'instances', message: expect.stringMatching(/^instances: expected a list of instances/) }));
  });
});

describe('seldonToPredictResponse', () => {
  it.each([
    ['data.ndarray', { data: { ndarray: [[0.1, 0.9]] } }, { predictions: [[0.1, 0.9]] }],
    ['data.tensor, nested by its shape', { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } }, { predictions: [[1, 2], [3, 4]] }],
    ['a one-dimensional tensor', { data: { tensor: { shape: [3], values: [1, 2, 3] } } }, { predictions: [1, 2, 3] }],
    ['jsonData that has predictions', { jsonData: { predictions: [1], model: 'x' } }, { predictions: [1], model: 'x' }],
    ['other jsonData that is an object, as a custom predictor answers', { jsonData: { label: 'cat' } }, { label: 'cat' }],
    ['a jsonData scalar', { jsonData: 'cat' }, { predictions: ['cat'] }],
    ['a jsonData list', { jsonData: [1, 2] }, { predictions: [1, 2] }],
    ['strData', { strData: 'hi' }, { predictions: ['hi'] }],
    ['binData', { binData: 'AAE=' }, { predictions: ['AAE='] }],
    ['no payload', { meta: {} }, { predictions: [] }],
  ])('answers %s', (_name, answer, response) => {
    expect(seldonToPredictResponse(answer as never)).toEqual(response);
  });
});
