import { describe, expect, it } from 'vitest';
import { predictResponseToSeldon, seldonToPredictRequest } from '../../../runtime/protocol/kserve-v1-remote.ts';

describe('seldonToPredictRequest', () => {
  it('sends the rows, a tensor nested by its shape, a string, or a custom body as instances', () => {
    expect(seldonToPredictRequest({ data: { ndarray: [[1, 2], [3, 4]] } })).toEqual({ instances: [[1, 2], [3, 4]] });
    expect(seldonToPredictRequest({ data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } })).toEqual({ instances: [[1, 2], [3, 4]] });
    expect(seldonToPredictRequest({ strData: 'text' })).toEqual({ instances: ['text'] });
    expect(seldonToPredictRequest({ jsonData: { instances: [{ a: 1 }], parameters: { x: 1 } } })).toEqual({ instances: [{ a: 1 }], parameters: { x: 1 } });
  });

  it('says what to send otherwise', () => {
    expect(() => seldonToPredictRequest({ jsonData: { rows: [] } })).toThrow('jsonData: a KServe V1 predictor takes {"instances": [...]}');
    expect(() => seldonToPredictRequest({ binData: 'AAE=' })).toThrow(/^binData: /);
  });
});

describe('predictResponseToSeldon', () => {
  it('answers as an ndarray, or as a tensor when the request was one and the predictions are numbers', () => {
    expect(predictResponseToSeldon({ predictions: [1, 0] }, { data: { ndarray: [[1], [2]] }, meta: { puid: 'p' } })).toEqual({ data: { ndarray: [1, 0] }, meta: { puid: 'p' } });
    expect(predictResponseToSeldon({ predictions: [[0.1, 0.9]] }, { data: { tensor: { shape: [1, 2], values: [1, 2] } } })).toEqual({
      data: { tensor: { shape: [1, 2], values: [0.1, 0.9] } },
    });
    expect(predictResponseToSeldon({ predictions: ['cat'] }, { data: { tensor: { shape: [1], values: [1] } } })).toEqual({ data: { ndarray: ['cat'] } });
  });

  it('says what is wrong with a response it cannot read', () => {
    expect(() => predictResponseToSeldon({ error: 'nope' }, {})).toThrow('expected {"predictions": [...]}, received {"error":"nope"}');
  });
});
