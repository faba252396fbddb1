import { describe, expect, it } from 'vitest';
import { inferenceResponseToSeldon, seldonToInferenceRequest } from '../../../runtime/protocol/v2-remote.ts';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';

const FP32 = { name: 'input-0', datatype: 'FP32' as const };

describe('seldonToInferenceRequest', () => {
  it('sends a tensor, an ndarray of numbers, strings or booleans, and strData as one input', () => {
    expect(seldonToInferenceRequest({ data: { tensor: { shape: [1, 2], values: new Float32Array([0.5, 1]) } } }, { ...FP32, id: 'p1' })).toEqual({
      id: 'p1',
      inputs: [{ name: 'input-0', shape: [1, 2], datatype: 'FP32', data: [0.5, 1] }],
    });
    expect(seldonToInferenceRequest({ data: { ndarray: [[1, 2, 3], [4, 5, 6]] } }, { name: 'x', datatype: 'INT64' })).toEqual({
      inputs: [{ name: 'x', shape: [2, 3], datatype: 'INT64', data: [1, 2, 3, 4, 5, 6] }],
    });
    expect(seldonToInferenceRequest({ data: { ndarray: ['a', 'b'] } }, FP32).inputs[0]).toEqual({ name: 'input-0', shape: [2], datatype: 'BYTES', data: ['a', 'b'] });
    expect(seldonToInferenceRequest({ data: { ndarray: [[true], [false]] } }, FP32).inputs[0]).toMatchObject({ shape: [2, 1], datatype: 'BOOL', data: [true, false] });
    expect(seldonToInferenceRequest({ strData: 'hello' }, FP32).inputs[0]).toEqual({ name: 'input-0', shape: [1], datatype: 'BYTES', data: ['hello'] });
  });

  it('refuses what has no tensor form, with the field and what to do', () => {
    const refuse = (message: object, datatype: 'FP32' | 'INT32' = 'FP32') => {
      try {
        seldonToInferenceRequest(message, { name: 'x', datatype });
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        return [(error as ProtocolError).status, (error as ProtocolError).field, (error as Error).message];
      }
      return expect.unreachable('no error');
    };
    expect(refuse({ jsonData: { a: 1 } })).toEqual([400, 'jsonData', expect.stringContaining('an Open Inference Protocol server takes tensors; send data.tensor, data.ndarray or strData')]);
    expect(refuse({ data: { ndarray: [[1, 2], [3]] } })).toEqual([400, 'data.ndarray[1]', expect.stringContaining('rectangular')]);
    expect(refuse({ data: { ndarray: [1, 'a'] } })).toEqual([400, 'data.ndarray[1]', expect.stringContaining('one kind of value')]);
    expect(refuse({ data: { ndarray: [1.5] } }, 'INT32')).toEqual([400, 'data.ndarray', expect.stringContaining('INT32 takes whole numbers, received 1.5 at element 0')]);
  });
});

describe('a named output', () => {
  it('is asked for, and picked from the answer', () => {
    expect(seldonToInferenceRequest({ data: { ndarray: [[1]] } }, { ...FP32, outputName: 'probabilities' }).outputs).toEqual([{ name: 'probabilities' }]);
    const answer = { outputs: [{ name: 'label', shape: [1], datatype: 'INT64', data: [2] }, { name: 'probabilities', shape: [1, 2], datatype: 'FP32', data: [0.25, 0.75] }] };
    expect(inferenceResponseToSeldon(answer, { data: { ndarray: [[1]] } }, 'probabilities')).toEqual({ data: { ndarray: [[0.25, 0.75]] } });
    expect(inferenceResponseToSeldon(answer, { data: { ndarray: [[1]] } })).toEqual({ data: { ndarray: [2] } });
    expect(() => inferenceResponseToSeldon(answer, {}, 'scores')).toThrow('no output named "scores" among "label", "probabilities"');
  });
});

describe('inferenceResponseToSeldon', () => {
  const response = { model_name: 'm', outputs: [{ name: 'probabilities', shape: [2, 3], datatype: 'FP32', data: [0.1, 0.2, 0.7, 0.3, 0.3, 0.4] }] };

  it('answers in the request\'s form, with its meta', () => {
    expect(inferenceResponseToSeldon(response, { data: { ndarray: [[1], [2]] }, meta: { puid: 'p' } })).toEqual({
      data: { ndarray: [[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]] },
      meta: { puid: 'p' },
    });
    expect(inferenceResponseToSeldon(response, { data: { tensor: { shape: [2, 1], values: [1, 2] } } })).toEqual({
      data: { tensor: { shape: [2, 3], values: [0.1, 0.2, 0.7, 0.3, 0.3, 0.4] } },
    });
    // Nested data (which the protocol allows) and strings.
    expect(inferenceResponseToSeldon({ outputs: [{ shape: [2], datatype: 'BYTES', data: [['x'], ['y']] }] }, { strData: 'q' })).toEqual({ data: { ndarray: ['x', 'y'] } });
  });

  it('says what is wrong with a response it cannot read', () => {
    expect(() => inferenceResponseToSeldon({ error: 'boom' }, {})).toThrow('expected "outputs" with at least one tensor');
    expect(() => inferenceResponseToSeldon({ outputs: [{ shape: [2, 2], data: [1, 2, 3] }] }, {})).toThrow('outputs[0]: shape [2,2] holds 4 values, data has 3');
    expect(() => inferenceResponseToSeldon({ outputs: [{ shape: 'x', data: [] }] }, {})).toThrow('outputs[0].shape: expected a list of dimensions');
  });
});
