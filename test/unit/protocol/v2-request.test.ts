import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { suggestDatatype } from '../../../runtime/protocol/v2-datatypes.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';

const input = (overrides: Record<string, unknown>) => ({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2], ...overrides }] });

function errorOf(json: unknown): ProtocolError {
  try {
    parseInferenceRequest(json);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

describe('parseInferenceRequest: accepted', () => {
  it('flattens nested data and keeps id, parameters and outputs', () => {
    const request = parseInferenceRequest({
      id: '42',
      parameters: { a: 'x', b: 1, c: true },
      inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', parameters: { binary_data: false }, data: [[1, 2], [3, 4]] }],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    });
    expect(request).toEqual({
      id: '42',
      parameters: { a: 'x', b: 1, c: true },
      inputs: [{ name: 'x', shape: [2, 2], datatype: 'INT32', parameters: { binary_data: false }, data: [1, 2, 3, 4] }],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    });
  });

  it.each([
    { datatype: 'BOOL', data: [true, false] },
    { datatype: 'UINT8', data: [0, 255] },
    { datatype: 'UINT16', data: [0, 65535] },
    { datatype: 'UINT32', data: [0, 4294967295] },
    { datatype: 'UINT64', data: [0, Number.MAX_SAFE_INTEGER] },
    { datatype: 'INT8', data: [-128, 127] },
    { datatype: 'INT16', data: [-32768, 32767] },
    { datatype: 'INT32', data: [-2147483648, 2147483647] },
    { datatype: 'INT64', data: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] },
    { datatype: 'FP16', data: [-65504, 0.5] },
    { datatype: 'FP32', data: [3.4e38, -1.5] },
    { datatype: 'FP64', data: [1e300, -1e-300] },
    { datatype: 'BYTES', data: ['', 'hello'] },
  ])('$datatype at its limits', ({ datatype, data }) => {
    expect(parseInferenceRequest(input({ datatype, data })).inputs[0]?.data).toEqual(data);
  });

  it('accepts shape [] with one element and zero-size tensors', () => {
    expect(parseInferenceRequest(input({ shape: [], data: [1] })).inputs[0]?.shape).toEqual([]);
    expect(parseInferenceRequest(input({ shape: [0, 3], data: [] })).inputs[0]?.data).toEqual([]);
  });

  it('ignores unknown top-level fields', () => {
    expect(parseInferenceRequest({ ...input({}), extra: 1 })).toEqual(input({}));
  });
});

describe('parseInferenceRequest: rejected, naming the field', () => {
  it.each([
    { name: 'not an object', json: 'x', field: '(body)', text: '(body): expected object, received string "x"' },
    { name: 'no inputs', json: {}, field: 'inputs', text: 'inputs: is required' },
    { name: 'empty inputs', json: { inputs: [] }, field: 'inputs', text: 'inputs: expected at least 1 item(s)' },
    { name: 'unknown datatype', json: input({ datatype: 'FLOAT32' }), field: 'inputs[0].datatype', text: 'unsupported datatype string "FLOAT32"; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES' },
    { name: 'lower-case datatype', json: input({ datatype: 'fp32' }), field: 'inputs[0].datatype', text: '(did you mean FP32?)' },
    { name: 'negative dimension', json: input({ shape: [-1] }), field: 'inputs[0].shape[0]', text: 'received number -1 (-1 marks a variable dimension in metadata' },
    { name: 'shape not an array', json: input({ shape: -1 }), field: 'inputs[0].shape', text: 'inputs[0].shape: expected array, received number -1' },
    { name: 'data not an array', json: input({ data: '{"text": 1}' }), field: 'inputs[0].data', text: 'inputs[0].data: expected array, received string' },
    { name: 'count vs shape', json: input({ shape: [3], data: [1, 2] }), field: 'inputs[0].data', text: 'expected 3 element(s) (the product of shape [3]), received 2' },
    { name: 'string in FP32', json: input({ data: [1, 'NaN'] }), field: 'inputs[0].data[1]', text: 'expected a finite number within ±3.4028234663852886e+38 for FP32, received string "NaN"; JSON has no NaN or Infinity' },
    { name: 'FP32 overflow', json: input({ data: [1, 1e39] }), field: 'inputs[0].data[1]', text: 'for FP32, received number 1e+39' },
    { name: 'FP16 overflow', json: input({ datatype: 'FP16', data: [1, 70000] }), field: 'inputs[0].data[1]', text: 'within ±65504 for FP16' },
    { name: 'UINT8 out of range', json: input({ datatype: 'UINT8', data: [1, 256] }), field: 'inputs[0].data[1]', text: 'expected an integer in [0, 255] for UINT8, received number 256' },
    { name: 'negative UINT32', json: input({ datatype: 'UINT32', data: [-1, 0] }), field: 'inputs[0].data[0]', text: 'in [0, 4294967295] for UINT32' },
    { name: 'INT8 fraction', json: input({ datatype: 'INT8', data: [1.5, 0] }), field: 'inputs[0].data[0]', text: 'expected an integer in [-128, 127] for INT8, received number 1.5' },
    { name: 'INT32 overflow', json: input({ datatype: 'INT32', data: [2147483648, 0] }), field: 'inputs[0].data[0]', text: 'for INT32' },
    { name: 'INT64 beyond 2^53', json: input({ datatype: 'INT64', data: [2 ** 60, 0] }), field: 'inputs[0].data[0]', text: '(JSON numbers beyond 2^53-1 lose precision)' },
    { name: 'BOOL as number', json: input({ datatype: 'BOOL', data: [1, 0] }), field: 'inputs[0].data[0]', text: 'expected true or false for BOOL, received number 1' },
    { name: 'BYTES as number', json: input({ datatype: 'BYTES', data: ['a', 1] }), field: 'inputs[0].data[1]', text: 'expected a string for BYTES, received number 1' },
    { name: 'nested bad element', json: input({ shape: [2, 1], data: [[1], ['x']] }), field: 'inputs[0].data', text: 'element 1 (row-major): expected a finite number' },
    { name: 'duplicate input names', json: { inputs: [input({}).inputs[0], input({}).inputs[0]] }, field: 'inputs[1].name', text: 'duplicate input name "x" (also inputs[0])' },
    { name: 'nested parameter value', json: { ...input({}), parameters: { headers: { a: 1 } } }, field: 'parameters.headers', text: 'parameter values must be strings, numbers or booleans' },
    { name: 'id not a string', json: { ...input({}), id: 42 }, field: 'id', text: 'id: expected string, received number 42' },
    { name: 'empty input name', json: input({ name: '' }), field: 'inputs[0].name', text: 'inputs[0].name: expected at least 1' },
  ])('$name', ({ json, field, text }) => {
    const err = errorOf(json);
    expect(err.status).toBe(400);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(/^Invalid inference request: /);
    expect(err.message).toContain(text);
  });

  it('counts the rest of the bad elements', () => {
    const err = errorOf(input({ datatype: 'UINT8', shape: [4], data: [300, 301, 302, 1] }));
    expect(err.message).toContain('inputs[0].data[0]: expected an integer in [0, 255] for UINT8, received number 300');
    expect(err.message).toContain('inputs[0].data: 3 elements in all do not fit UINT8');
  });

  it('reports problems of several inputs at once', () => {
    const err = errorOf({ inputs: [{ name: 'a', shape: [1], datatype: 'X', data: [1] }, { name: 'b', shape: [2], datatype: 'FP32', data: [1] }] });
    expect(err.message).toContain('inputs[0].datatype');
    expect(err.message).toContain('inputs[1].data: expected 2 element(s)');
  });

  it('does not pollute prototypes with __proto__ keys', () => {
    const parsed = parseInferenceRequest(JSON.parse('{"__proto__": {"polluted": 1}, "parameters": {"__proto__": {"polluted": 2}}, "inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect((parsed as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('suggestDatatype', () => {
  it.each([
    ['INT322', 'INT32'],
    ['fp64', 'FP64'],
    ['UNIT8', 'UINT8'],
    ['STRING', undefined],
  ])('%s → %s', (text, expected) => {
    expect(suggestDatatype(text)).toBe(expected);
  });
});

describe('deep nesting', () => {
  it('is refused without overflowing the stack', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => parseInferenceRequest({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: deep }] })).toThrow(
      'Invalid inference request: inputs[0].data: is nested deeper than 64 levels',
    );
  });
});
