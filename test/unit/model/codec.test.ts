import { describe, expect, it } from 'vitest';
import { decodeSeldonData, encodeSeldonData, nest, type ExpectedInput } from '../../../runtime/model/codec.ts';
import { ModelInputError } from '../../../runtime/model/errors.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';

const FEATURES: ExpectedInput = { name: 'features', shape: ['N', 4] };

function inputError(message: unknown, expected: ExpectedInput = FEATURES): ModelInputError {
  try {
    decodeSeldonData(message as SeldonMessage, expected);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelInputError);
    return err as ModelInputError;
  }
  throw new Error('expected a ModelInputError');
}

describe('decodeSeldonData', () => {
  it('decodes a 2-D ndarray', () => {
    expect(decodeSeldonData({ data: { ndarray: [[1, 2, 3, 4], [5, 6, 7, 8]] } }, FEATURES)).toEqual({
      form: 'ndarray',
      shape: [2, 4],
      values: [1, 2, 3, 4, 5, 6, 7, 8],
    });
  });

  it('decodes a tensor', () => {
    expect(decodeSeldonData({ data: { tensor: { shape: [1, 4], values: [1, 2, 3, 4] } } }, FEATURES)).toEqual({
      form: 'tensor',
      shape: [1, 4],
      values: [1, 2, 3, 4],
    });
  });

  it('infers the rank when the model does not say', () => {
    expect(decodeSeldonData({ data: { ndarray: [[[1], [2]]] } }, { name: 'x', shape: null }).shape).toEqual([1, 2, 1]);
  });

  it('names the field of a wrong row width', () => {
    const err = inputError({ data: { ndarray: [[1, 2, 3, 4], [1, 2, 3]] } });
    expect(err.field).toBe('data.ndarray[1]');
    expect(err.status).toBe(400);
    expect(err.message).toBe('data.ndarray[1]: expected 4 values (model input "features" has shape [N,4]), got 3');
  });

  it('names the field of a non-numeric value', () => {
    const err = inputError({ data: { ndarray: [[1, 2, 3, 4], [1, 2, 'x', 4]] } });
    expect(err.field).toBe('data.ndarray[1][2]');
    expect(err.message).toContain('expected a number, got string "x"');
    expect(inputError({ data: { ndarray: [[1, 2, null, 4]] } }).field).toBe('data.ndarray[0][2]');
    expect(inputError({ data: { ndarray: [[1, 2, true, 4]] } }).field).toBe('data.ndarray[0][2]');
  });

  it('rejects ragged rows when the width is dynamic', () => {
    const err = inputError({ data: { ndarray: [[1, 2], [1, 2, 3]] } }, { name: 'x', shape: ['N', 'M'] });
    expect(err.field).toBe('data.ndarray[1]');
    expect(err.message).toContain('rectangular');
  });

  it('rejects a 1-D ndarray for a 2-D input, and an empty one', () => {
    const flat = inputError({ data: { ndarray: [1, 2, 3, 4] } });
    expect(flat.field).toBe('data.ndarray[0]');
    expect(flat.message).toContain('expected a row of 4 numbers');
    expect(inputError({ data: { ndarray: [] } }).message).toContain('at least one row');
    expect(inputError({ data: { ndarray: 'x' } }).field).toBe('data.ndarray');
  });

  it('checks a fixed batch dimension', () => {
    const err = inputError({ data: { ndarray: [[1, 2, 3, 4]] } }, { name: 'features', shape: [2, 4] });
    expect(err.field).toBe('data.ndarray');
    expect(err.message).toContain('expected 2 rows');
  });

  it('checks a tensor\'s shape and values', () => {
    expect(inputError({ data: { tensor: { shape: [1, 3], values: [1, 2, 3] } } }).field).toBe('data.tensor.shape[1]');
    expect(inputError({ data: { tensor: { shape: [4], values: [1, 2, 3, 4] } } }).field).toBe('data.tensor.shape');
    expect(inputError({ data: { tensor: { shape: [1, -4], values: [] } } }).field).toBe('data.tensor.shape[1]');
    const count = inputError({ data: { tensor: { shape: [2, 4], values: [1, 2, 3, 4] } } });
    expect(count.field).toBe('data.tensor.values');
    expect(count.message).toContain('expected 8 values for shape [2,4], got 4');
    expect(inputError({ data: { tensor: { shape: [1, 4], values: [1, 'two', 3, 4] } } }).field).toBe('data.tensor.values[1]');
    expect(inputError({ data: { tensor: [1, 2] } }).field).toBe('data.tensor');
  });

  it('requires ndarray or tensor', () => {
    expect(inputError({}).field).toBe('data');
    expect(inputError({ jsonData: { a: 1 } }).field).toBe('jsonData');
    expect(inputError({ data: { names: ['a'] } }).field).toBe('data');
    expect(inputError({ data: { ndarray: [[1, 2, 3, 4]], tensor: { shape: [1, 4], values: [1, 2, 3, 4] } } }).message).toContain(
      'not both',
    );
  });
});

describe('encodeSeldonData', () => {
  it('answers in the request\'s form', () => {
    expect(encodeSeldonData('tensor', [2, 2], [1, 2, 3, 4], ['a', 'b'])).toEqual({
      names: ['a', 'b'],
      tensor: { shape: [2, 2], values: [1, 2, 3, 4] },
    });
    expect(encodeSeldonData('ndarray', [2, 2], [1, 2, 3, 4], ['a', 'b'])).toEqual({ names: ['a', 'b'], ndarray: [[1, 2], [3, 4]] });
  });

  it('nests by any shape', () => {
    expect(nest([1, 2, 3, 4, 5, 6], [1, 2, 3])).toEqual([[[1, 2, 3], [4, 5, 6]]]);
    expect(nest([7], [])).toBe(7);
  });
});
