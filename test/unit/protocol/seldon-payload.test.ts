import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { messageToX, xToMessage, type PayloadForm } from '../../../runtime/protocol/seldon-payload.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';

describe('messageToX', () => {
  it.each<{ name: string; message: SeldonMessage; X: unknown; form: PayloadForm }>([
    { name: 'tensor → nested arrays', message: { data: { tensor: { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] } } }, X: [[1, 2, 3], [4, 5, 6]], form: 'tensor' },
    { name: '3-D tensor', message: { data: { tensor: { shape: [2, 1, 2], values: [1, 2, 3, 4] } } }, X: [[[1, 2]], [[3, 4]]], form: 'tensor' },
    { name: 'scalar tensor', message: { data: { tensor: { shape: [], values: [7] } } }, X: 7, form: 'tensor' },
    { name: 'empty tensor', message: { data: { tensor: { shape: [0, 2], values: [] } } }, X: [], form: 'tensor' },
    { name: 'ndarray as is', message: { data: { ndarray: [['a', 1]] } }, X: [['a', 1]], form: 'ndarray' },
    { name: 'jsonData', message: { jsonData: { a: 1 } }, X: { a: 1 }, form: 'jsonData' },
    { name: 'strData', message: { strData: 'hi' }, X: 'hi', form: 'strData' },
    { name: 'binData → bytes', message: { binData: 'aGk=' }, X: new Uint8Array([104, 105]), form: 'binData' },
  ])('$name', ({ message, X, form }) => {
    const payload = messageToX(message);
    expect(payload.form).toBe(form);
    expect(payload.X).toEqual(X);
  });

  it('returns a plain Uint8Array for binData', () => {
    expect(messageToX({ binData: 'AAEC' }).X).toBeInstanceOf(Uint8Array);
  });

  it('is a 400 when there is no payload', () => {
    expect(() => messageToX({ meta: {} })).toThrow(ProtocolError);
    expect(() => messageToX({ data: { names: ['a'] } })).toThrow(/data: expected a payload/);
  });
});

describe('xToMessage', () => {
  it.each<{ name: string; X: unknown; form: PayloadForm; names?: string[]; message: SeldonMessage }>([
    { name: 'nested numbers, tensor form', X: [[1, 2], [3, 4]], form: 'tensor', message: { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } } },
    { name: 'with names', X: [[1, 2]], form: 'tensor', names: ['a', 'b'], message: { data: { names: ['a', 'b'], tensor: { shape: [1, 2], values: [1, 2] } } } },
    { name: 'number, tensor form', X: 5, form: 'tensor', message: { data: { tensor: { shape: [], values: [5] } } } },
    { name: 'typed array, tensor form', X: new Float64Array([0.5, 1.5]), form: 'tensor', message: { data: { tensor: { shape: [2], values: [0.5, 1.5] } } } },
    { name: 'rows of typed arrays', X: [new Float64Array([1, 2]), new Float64Array([3, 4])], form: 'tensor', message: { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } } },
    { name: 'ragged numbers fall back to ndarray', X: [[1], [2, 3]], form: 'tensor', message: { data: { ndarray: [[1], [2, 3]] } } },
    { name: 'strings in tensor form → ndarray', X: ['a', 'b'], form: 'tensor', message: { data: { ndarray: ['a', 'b'] } } },
    { name: 'nested numbers, ndarray form', X: [[1, 2]], form: 'ndarray', message: { data: { ndarray: [[1, 2]] } } },
    { name: 'number, ndarray form', X: 3, form: 'ndarray', message: { data: { ndarray: [3] } } },
    { name: 'string', X: 'out', form: 'strData', message: { strData: 'out' } },
    { name: 'string answer to a tensor', X: 'out', form: 'tensor', message: { strData: 'out' } },
    { name: 'object', X: { a: 1 }, form: 'ndarray', message: { jsonData: { a: 1 } } },
    { name: 'anything in jsonData form', X: [1, 2], form: 'jsonData', message: { jsonData: [1, 2] } },
    { name: 'null', X: null, form: 'strData', message: { jsonData: null } },
    { name: 'bytes', X: new Uint8Array([104, 105]), form: 'tensor', message: { binData: 'aGk=' } },
    { name: 'Buffer', X: Buffer.from('hi'), form: 'binData', message: { binData: 'aGk=' } },
    { name: 'array in binData form', X: [1], form: 'binData', message: { data: { ndarray: [1] } } },
  ])('$name', ({ X, form, names, message }) => {
    expect(xToMessage(X, form, names)).toEqual(message);
  });

  it.each([
    { name: 'NaN in a tensor', X: [1, Number.NaN], form: 'tensor' as const, text: 'data.tensor.values[1]: result is NaN' },
    { name: 'Infinity in an ndarray', X: [[1, Number.POSITIVE_INFINITY]], form: 'ndarray' as const, text: 'data.ndarray[0][1]: result is Infinity' },
    { name: 'undefined', X: undefined, form: 'tensor' as const, text: 'received undefined' },
    { name: 'a function', X: () => 1, form: 'tensor' as const, text: 'received function' },
    { name: 'bigint in jsonData', X: { n: 1n }, form: 'jsonData' as const, text: 'jsonData.n: result is a bigint' },
    { name: 'undefined in an array', X: [1, undefined], form: 'ndarray' as const, text: 'data.ndarray[1]: result is undefined' },
  ])('is a 500 bad_output for $name', ({ X, form, text }) => {
    try {
      xToMessage(X, form);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).status).toBe(500);
      expect((error as ProtocolError).reason).toBe('bad_output');
      expect((error as ProtocolError).message).toContain(text);
    }
  });

  it('round-trips every form', () => {
    const messages: SeldonMessage[] = [
      { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } },
      { data: { ndarray: [[1, 2]] } },
      { jsonData: { a: [1] } },
      { strData: 'x' },
      { binData: 'AAEC' },
    ];
    for (const message of messages) {
      const { X, form } = messageToX(message);
      expect(xToMessage(X, form)).toEqual(message);
    }
  });
});
