/** The body checks every JSON request passes before a codec walks it: depth and prototype keys. */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { assertSafeJson, findJsonHazard, MAX_JSON_DEPTH } from '../../../runtime/protocol/json-guard.ts';
import { bodyKindOf, requireBodyKind } from '../../../runtime/protocol/media-type.ts';

describe('findJsonHazard', () => {
  it('accepts bodies up to the depth limit and names the path of the first level beyond it', () => {
    const nest = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    expect(findJsonHazard({ data: { ndarray: nest(MAX_JSON_DEPTH - 2) } })).toBeUndefined();
    expect(findJsonHazard({ data: { ndarray: nest(MAX_JSON_DEPTH - 1) } })).toEqual({
      path: ['data', 'ndarray', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      message: 'is nested deeper than 100 levels of arrays and objects (path cut after 12 levels); expected at most 100 levels',
    });
  });

  it('walks a million-deep array without recursion', () => {
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(findJsonHazard(JSON.parse(text))?.message).toMatch(/nested deeper than 100 levels/);
  });

  it('rejects __proto__ anywhere and constructor.prototype, but not a plain "constructor" value', () => {
    expect(findJsonHazard(JSON.parse('{"a":[{"b":{"__proto__":{}}}]}'))?.path).toEqual(['a', 0, 'b', '__proto__']);
    expect(findJsonHazard(JSON.parse('{"constructor":{"prototype":{"x":1}}}'))?.path).toEqual(['constructor', 'prototype']);
    expect(findJsonHazard({ constructor: 'Alice', prototype: 'fine' })).toBeUndefined();
  });

  it('assertSafeJson throws a 400 naming the field', () => {
    try {
      assertSafeJson(JSON.parse('{"meta":{"tags":{"__proto__":1}}}'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).status).toBe(400);
      expect((error as ProtocolError).field).toBe('meta.tags.__proto__');
    }
  });
});

describe('content types', () => {
  it.each([
    [null, 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/vnd.api+json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/plain;charset=UTF-8', 'text'],
    ['application/octet-stream', 'binary'],
    ['application/xml', undefined],
  ])('%s is %s', (header, kind) => {
    expect(bodyKindOf(header)).toBe(kind);
  });

  it('answers an unaccepted type with a 415 naming it and what to send', () => {
    expect(() => requireBodyKind('image/png', ['json', 'form'], 'POST /predict')).toThrow(
      'content-type: POST /predict does not accept "image/png"; expected application/json, or application/x-www-form-urlencoded (json=<message>)',
    );
  });
});
