import { describe, expect, it } from 'vitest';
import { fieldPathProblem, parseFieldPath, readField } from '../../../runtime/routers/field-path.ts';

describe('field paths', () => {
  it('parses keys and [n] indices', () => {
    expect(parseFieldPath('meta.tags.tier')).toEqual(['meta', 'tags', 'tier']);
    expect(parseFieldPath('data.ndarray[0][12]')).toEqual(['data', 'ndarray', 0, 12]);
    expect(parseFieldPath('jsonData.user-info.x_1')).toEqual(['jsonData', 'user-info', 'x_1']);
    expect(parseFieldPath('strData')).toEqual(['strData']);
  });

  it.each([
    { text: '', problem: 'is empty' },
    { text: 'meta..tier', problem: 'has an empty key' },
    { text: 'meta.tags.', problem: 'has an empty key' },
    { text: 'data.ndarray[x]', problem: 'has "ndarray[x]", which is not a key' },
    { text: 'meta.1tier', problem: 'has "1tier", which is not a key' },
    { text: '[0]', problem: 'has "[0]", which is not a key' },
  ])('says what is wrong with "$text"', ({ text, problem }) => {
    expect(fieldPathProblem(text)).toContain(problem);
    expect(() => parseFieldPath(text)).toThrow(`field path "${text}" ${problem}`);
  });

  it('reads values from objects, lists and typed arrays', () => {
    const message = { meta: { tags: { tier: 'gold' } }, data: { ndarray: [[1, 2, 3]], tensor: { shape: [2], values: new Float32Array([0.5, 7]) } } };
    expect(readField(message, parseFieldPath('meta.tags.tier'))).toBe('gold');
    expect(readField(message, parseFieldPath('data.ndarray[0][2]'))).toBe(3);
    expect(readField(message, parseFieldPath('data.tensor.values[1]'))).toBe(7);
    expect(readField({ v: new BigInt64Array([5n]) }, parseFieldPath('v[0]'))).toBe(5n);
  });

  it('reads undefined where the path leads nowhere, and never reaches a prototype', () => {
    const message = { meta: { tags: {} }, data: { ndarray: [[1]] } };
    expect(readField(message, parseFieldPath('meta.tags.tier'))).toBeUndefined();
    expect(readField(message, parseFieldPath('data.ndarray[0][5]'))).toBeUndefined();
    expect(readField(message, parseFieldPath('data.ndarray.length'))).toBeUndefined();
    expect(readField(message, parseFieldPath('meta.tags.constructor'))).toBeUndefined();
    expect(readField(message, parseFieldPath('meta.tags.__proto__'))).toBeUndefined();
    expect(readField(message, parseFieldPath('meta[0]'))).toBeUndefined();
    expect(readField(null, parseFieldPath('meta'))).toBeUndefined();
  });
});
