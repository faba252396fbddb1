import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  seldonErrorBody,
  seldonErrorResponse,
  toProtocolError,
  v2ErrorBody,
  v2ErrorResponse,
  withNode,
} from '../../../runtime/protocol/errors.ts';

class InputError extends Error {
  readonly status = 400;
  readonly field = 'data[0]';
}

describe('ProtocolError', () => {
  it('defaults to 400 invalid_request, and 5xx to internal_error', () => {
    expect(new ProtocolError('x')).toMatchObject({ status: 400, reason: 'invalid_request' });
    expect(new ProtocolError('x', { status: 503 })).toMatchObject({ status: 503, reason: 'internal_error' });
    expect(new ProtocolError('x', { status: 200 }).status).toBe(400);
  });

  it('has both protocol bodies', () => {
    const err = new ProtocolError('data.tensor.values: expected 4 values', { status: 400, reason: 'invalid_message', field: 'data.tensor.values' });
    expect(seldonErrorBody(err)).toEqual({ status: { code: 400, info: 'data.tensor.values: expected 4 values', reason: 'invalid_message', status: 'FAILURE' } });
    expect(v2ErrorBody(err)).toEqual({ error: 'data.tensor.values: expected 4 values' });
  });
});

describe('toProtocolError and the response helpers', () => {
  it.each([
    { name: 'a ProtocolError', thrown: new ProtocolError('gone', { status: 404, reason: 'not_found' }), status: 404, message: 'gone', reason: 'not_found' },
    { name: 'an Error with status and field', thrown: new InputError('bad row'), status: 400, message: 'bad row', reason: 'invalid_request', field: 'data[0]' },
    { name: 'an Error with statusCode', thrown: Object.assign(new Error('busy'), { statusCode: 429 }), status: 429, message: 'busy', reason: 'invalid_request' },
    { name: 'an Error with a non-error status', thrown: Object.assign(new Error('odd'), { status: 200 }), status: 500, message: 'internal error: odd', reason: 'internal_error' },
    { name: 'a plain Error', thrown: new TypeError('x is undefined'), status: 500, message: 'internal error: x is undefined', reason: 'internal_error' },
    { name: 'a string', thrown: 'boom', status: 500, message: 'internal error: a non-Error value was thrown: "boom"', reason: 'internal_error' },
    { name: 'undefined', thrown: undefined, status: 500, message: 'internal error: a non-Error value was thrown: undefined', reason: 'internal_error' },
  ])('maps $name', ({ thrown, status, message, reason, field }) => {
    const err = toProtocolError(thrown);
    expect(err).toMatchObject({ status, message, reason });
    expect(err.field).toBe(field);
    expect(seldonErrorResponse(thrown)).toEqual({ status, body: { status: { code: status, info: message, reason, status: 'FAILURE' } } });
    expect(v2ErrorResponse(thrown)).toEqual({ status, body: { error: message } });
  });

  it('names the node once', () => {
    const err = toProtocolError(new ProtocolError('bad', { field: 'f' }), 'scorer');
    expect(err).toMatchObject({ message: 'node "scorer": bad', node: 'scorer', field: 'f', status: 400 });
    expect(withNode(err, 'other')).toBe(err);
    expect(toProtocolError(new ProtocolError('x', { node: 'a' }), 'b').message).toBe('x');
  });

  it('survives values that cannot be stringified', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(toProtocolError(cyclic).message).toContain('[object Object]');
  });
});
