import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { parseSeldonFeedback, parseSeldonMessage, parseSeldonMessageList } from '../../../runtime/protocol/seldon-schema.ts';

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw new Error(`expected a ProtocolError, got ${String(error)}`);
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

describe('parseSeldonMessage: valid messages', () => {
  it.each([
    { name: 'ndarray', json: { data: { ndarray: [[1, 2]] } } },
    { name: 'tensor', json: { data: { names: ['a', 'b'], tensor: { shape: [2, 2], values: [0, 0, 1, 1] } } } },
    { name: 'scalar tensor (shape [])', json: { data: { tensor: { shape: [], values: [3] } } } },
    { name: 'empty tensor', json: { data: { tensor: { shape: [0, 4], values: [] } } } },
    { name: 'strData', json: { strData: 'some test input' } },
    { name: 'binData', json: { binData: 'aGVsbG8=' } },
    { name: 'binData, base64url without padding', json: { binData: 'aGVsbG8_-w' } },
    { name: 'jsonData object', json: { jsonData: { a: [1, 2] } } },
    { name: 'jsonData null', json: { jsonData: null } },
    { name: 'ragged string ndarray', json: { data: { ndarray: [['a'], ['b', 'c']] } } },
    { name: 'mixed ndarray', json: { data: { ndarray: [[1, 'a'], [2]] } } },
    { name: 'empty ndarray', json: { data: { ndarray: [] } } },
    {
      name: 'full meta',
      json: {
        meta: { puid: 'p', tags: { a: 1 }, routing: { r: 0 }, requestPath: { m: 'img:1' }, metrics: [{ key: 'k', type: 'GAUGE', value: 2, tags: { t: 'v' } }] },
        data: { ndarray: [1] },
      },
    },
  ])('accepts $name', ({ json }) => {
    expect(parseSeldonMessage(json)).toEqual(json);
  });

  it('fills proto3 defaults of status and metrics', () => {
    const parsed = parseSeldonMessage({ status: { code: 200 }, meta: { metrics: [{ key: 'c' }] }, strData: 'x' });
    expect(parsed.status).toEqual({ code: 200, info: '', reason: '', status: 'SUCCESS' });
    expect(parsed.meta?.metrics).toEqual([{ key: 'c', type: 'COUNTER', value: 0 }]);
  });

  it('accepts a message without payload when asked to', () => {
    expect(parseSeldonMessage({ meta: { puid: 'x' } }, { requirePayload: false })).toEqual({ meta: { puid: 'x' } });
  });
});

describe('parseSeldonMessage: rejected with the field and what was expected', () => {
  it.each([
    { name: 'not an object', json: [1, 2], field: '(body)', text: 'expected object, received array of 2' },
    { name: 'null body', json: null, field: '(body)', text: 'expected object, received null' },
    { name: 'no payload', json: { meta: {} }, field: '(body)', text: 'expected exactly one of data, binData, strData, jsonData; received none' },
    { name: 'two payloads', json: { strData: 'a', jsonData: 1 }, field: '(body)', text: 'received strData and jsonData' },
    { name: 'typo in a field', json: { dat: { ndarray: [1] } }, field: 'dat', text: 'dat: unknown field; expected one of "status", "meta", "data"' },
    { name: 'typo in data', json: { data: { ndarray: [1], nmes: [] } }, field: 'data.nmes', text: 'expected one of "names", "tensor", "ndarray", "tftensor"' },
    {
      name: 'tensor values vs shape',
      json: { data: { tensor: { shape: [2, 2], values: [1, 2, 3] } } },
      field: 'data.tensor.values',
      text: 'data.tensor.values: expected 4 values (the product of shape [2,2]), received 3',
    },
    {
      name: 'negative dimension',
      json: { data: { tensor: { shape: [-1, 2], values: [1, 2] } } },
      field: 'data.tensor.shape[0]',
      text: 'expected a non-negative integer dimension, received number -1',
    },
    {
      name: 'fractional dimension',
      json: { data: { tensor: { shape: [1.5], values: [1] } } },
      field: 'data.tensor.shape[0]',
      text: 'received number 1.5',
    },
    {
      name: '"NaN" in tensor values',
      json: { data: { tensor: { shape: [2], values: [1, 'NaN'] } } },
      field: 'data.tensor.values[1]',
      text: 'data.tensor.values[1]: expected a number, received string "NaN" (JSON has no NaN or Infinity',
    },
    {
      name: '"Infinity" in a numeric ndarray',
      json: { data: { ndarray: [[1, 'Infinity']] } },
      field: 'data.ndarray[0][1]',
      text: 'received string "Infinity" (JSON has no NaN or Infinity',
    },
    {
      name: 'ragged numeric ndarray',
      json: { data: { ndarray: [[1, 2, 3], [4, 5]] } },
      field: 'data.ndarray[1]',
      text: 'data.ndarray[1]: expected 3 elements like data.ndarray[0], received 2 (arrays must be rectangular); a numeric ndarray must not be ragged',
    },
    {
      name: 'number where a row belongs',
      json: { data: { ndarray: [[1, 2], 3] } },
      field: 'data.ndarray[1]',
      text: 'expected an array of 2 like data.ndarray[0], received number 3',
    },
    {
      name: 'row where a number belongs',
      json: { data: { ndarray: [1, [2]] } },
      field: 'data.ndarray[1]',
      text: 'expected one of the numbers, received array of 1',
    },
    { name: 'names not strings', json: { data: { names: ['a', 1], ndarray: [[1, 2]] } }, field: 'data.names[1]', text: 'expected string, received number 1' },
    { name: 'tensor and ndarray', json: { data: { tensor: { shape: [1], values: [1] }, ndarray: [1] } }, field: 'data', text: 'received tensor and ndarray' },
    { name: 'tftensor', json: { data: { tftensor: {} } }, field: 'data.tftensor', text: 'is not supported' },
    { name: 'customData', json: { customData: {} }, field: 'customData', text: 'is not supported' },
    { name: 'bad base64', json: { binData: 'not base64!' }, field: 'binData', text: 'expected base64-encoded bytes' },
    { name: 'puid not a string', json: { meta: { puid: 7 }, strData: 'x' }, field: 'meta.puid', text: 'meta.puid: expected string, received number 7' },
    { name: 'routing not integer', json: { meta: { routing: { r: 0.5 } }, strData: 'x' }, field: 'meta.routing.r', text: 'meta.routing.r' },
    {
      name: 'metric type',
      json: { meta: { metrics: [{ key: 'k', type: 'HISTOGRAM', value: 1 }] }, strData: 'x' },
      field: 'meta.metrics[0].type',
      text: 'expected one of "COUNTER", "GAUGE", "TIMER", received string "HISTOGRAM"',
    },
    { name: 'unknown meta field', json: { meta: { puid: 'x', extra: 1 }, strData: 'x' }, field: 'meta.extra', text: '"puid", "tags", "routing", "requestPath", "metrics"' },
    { name: 'data is null', json: { data: null }, field: 'data', text: 'data: expected object, received null' },
  ])('$name', ({ json, field, text }) => {
    const err = errorOf(() => parseSeldonMessage(json));
    expect(err.status).toBe(400);
    expect(err.reason).toBe('invalid_message');
    expect(err.field).toBe(field);
    expect(err.message).toContain('Invalid Seldon message: ');
    expect(err.message).toContain(text);
  });

  it('reports every problem at once', () => {
    const err = errorOf(() => parseSeldonMessage({ data: { names: [1], tensor: { shape: [3], values: [1, 'x'] } } }));
    expect(err.message).toContain('data.tensor.values[1]: expected a number, received string "x"');
    expect(err.message).toContain('data.tensor.values: expected 3 values');
  });

  it('bounds a long list of bad values to one message', () => {
    const values = Array.from({ length: 1000 }, () => 'x');
    const err = errorOf(() => parseSeldonMessage({ data: { tensor: { shape: [1000], values } } }));
    expect(err.message).toContain('data.tensor.values: 1000 values in all are not numbers');
    expect(err.message.length).toBeLessThan(400);
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const err = errorOf(() => parseSeldonMessage({ data: { ndarray: deep } }));
    expect(err.message).toContain('is nested deeper than 64 levels');
  });
});

describe('prototype pollution', () => {
  it('never pollutes Object.prototype, and drops __proto__ keys from meta maps', () => {
    const body = '{"__proto__": {"polluted": 1}, "meta": {"tags": {"__proto__": {"polluted": 2}, "ok": 1}}, "jsonData": {"__proto__": {"polluted": 3}}}';
    const err = errorOf(() => parseSeldonMessage(JSON.parse(body)));
    expect(err.field).toBe('__proto__');
    const parsed = parseSeldonMessage(JSON.parse('{"meta": {"tags": {"__proto__": {"polluted": 2}, "ok": 1}}, "jsonData": {"__proto__": {"polluted": 3}}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.meta?.tags)).toBe(Object.prototype);
    expect(parsed.meta?.tags).toEqual({ ok: 1 });
    expect((parsed.meta?.tags as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((parsed.jsonData as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseSeldonFeedback and parseSeldonMessageList', () => {
  it('accepts feedback whose messages carry only meta', () => {
    const json = { request: { data: { ndarray: [[1]] } }, response: { meta: { puid: 'p' } }, reward: 1 };
    expect(parseSeldonFeedback(json)).toEqual(json);
  });

  it.each([
    { name: 'reward not a number', json: { reward: '1' }, field: 'reward', text: 'reward: expected number, received string "1"' },
    { name: 'bad inner message', json: { request: { data: { tensor: { shape: [2], values: [1] } } } }, field: 'request.data.tensor.values', text: 'expected 2 values' },
    { name: 'unknown field', json: { rewards: 1 }, field: 'rewards', text: 'expected one of "request", "response", "reward", "truth"' },
  ])('rejects feedback: $name', ({ json, field, text }) => {
    const err = errorOf(() => parseSeldonFeedback(json));
    expect(err.field).toBe(field);
    expect(err.message).toContain('Invalid Seldon feedback: ');
    expect(err.message).toContain(text);
  });

  it('accepts a message list', () => {
    const json = { seldonMessages: [{ data: { ndarray: [1] } }, { strData: 'x' }] };
    expect(parseSeldonMessageList(json)).toEqual(json);
  });

  it.each([
    { name: 'missing list', json: {}, field: 'seldonMessages', text: 'seldonMessages: is required' },
    { name: 'empty list', json: { seldonMessages: [] }, field: 'seldonMessages', text: 'expected at least one message' },
    { name: 'bad item', json: { seldonMessages: [{ strData: 'x' }, { data: { ndarray: [[1], [1, 2]] } }] }, field: 'seldonMessages[1].data.ndarray[1]', text: 'rectangular' },
  ])('rejects a message list: $name', ({ json, field, text }) => {
    const err = errorOf(() => parseSeldonMessageList(json));
    expect(err.field).toBe(field);
    expect(err.message).toContain(text);
  });
});
