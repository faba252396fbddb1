import { describe, expect, it } from 'vitest';
import { switchRouter } from '../../../runtime/routers/switch.ts';
import { NoMatchingRouteError, RouterParameterError } from '../../../runtime/routers/types.ts';
import { seededRng } from '../../helpers/seeded-rng.ts';

const CHILDREN = ['big', 'small', 'other'];
const parse = (raw: Record<string, unknown>) => switchRouter.parseParameters(raw, CHILDREN.length, CHILDREN);
const state = switchRouter.initialState(CHILDREN.length);
const rng = seededRng(1);
const decide = (raw: Record<string, unknown>, message: unknown) => switchRouter.decide(state, parse(raw), rng, message);
const one = (when: Record<string, unknown>, field = 'meta.tags.v') => ({ cases: [{ field, child: 'small', ...when }], default: 'other' });
const tagged = (v: unknown) => ({ meta: { tags: v === undefined ? {} : { v } } });

describe('switch parameters', () => {
  it.each([
    { name: 'no cases', raw: {}, message: 'parameter "cases": expected a non-empty list' },
    { name: 'an empty list of cases', raw: { cases: [] }, message: 'parameter "cases": expected a non-empty list' },
    { name: 'a case that is not an object', raw: { cases: [3] }, message: 'parameter "cases[0]": expected {field, child, <operator>: value}, received 3' },
    { name: 'an unknown key', raw: { cases: [{ field: 'strData', child: 'big', equal: 'x' }] }, message: 'unknown key "equal"' },
    { name: 'no field', raw: { cases: [{ child: 'big', equals: 1 }] }, message: 'field: expected a path into the request' },
    { name: 'a bad field', raw: { cases: [{ field: 'a..b', child: 'big', equals: 1 }] }, message: 'field: field path "a..b" has an empty key' },
    { name: 'an unknown child', raw: { cases: [{ field: 'strData', child: 'huge', equals: 1 }] }, message: 'child: expected one of this router\'s children (big, small, other), received "huge"' },
    { name: 'no operator', raw: { cases: [{ field: 'strData', child: 'big' }] }, message: 'expected exactly one operator (equals, notEquals, in, greaterThan, lessThan, atLeast, atMost, exists), received none' },
    { name: 'two operators', raw: { cases: [{ field: 'strData', child: 'big', equals: 1, atLeast: 2 }] }, message: 'received equals and atLeast' },
    { name: 'a string bound', raw: { cases: [{ field: 'strData', child: 'big', greaterThan: '5' }] }, message: 'greaterThan: expected a number, received "5"' },
    { name: 'exists that is not a boolean', raw: { cases: [{ field: 'strData', child: 'big', exists: 'yes' }] }, message: 'exists: expected true or false' },
    { name: 'equals with an object', raw: { cases: [{ field: 'strData', child: 'big', equals: { a: 1 } }] }, message: 'equals: expected a string, number, boolean or null' },
    { name: 'an empty in', raw: { cases: [{ field: 'strData', child: 'big', in: [] }] }, message: 'in: expected a non-empty list' },
    { name: 'an unknown default', raw: { cases: [{ field: 'strData', child: 'big', exists: true }], default: 'tiny' }, message: 'parameter "default": expected one of this router\'s children' },
    { name: 'an unknown parameter', raw: { cases: [{ field: 'strData', child: 'big', exists: true }], fallback: 'big' }, message: 'parameter "fallback": unknown parameter; known parameters: cases, default' },
  ])('rejects $name', ({ raw, message }) => {
    expect(() => parse(raw)).toThrow(RouterParameterError);
    expect(() => parse(raw)).toThrow(message);
  });
});

describe('switch decisions', () => {
  it.each([
    { when: { equals: 'gold' }, value: 'gold', matches: true },
    { when: { equals: 'gold' }, value: 'Gold', matches: false },
    { when: { equals: 5 }, value: '5', matches: false },
    { when: { equals: null }, value: null, matches: true },
    { when: { notEquals: 'gold' }, value: 'silver', matches: true },
    { when: { notEquals: 'gold' }, value: undefined, matches: true },
    { when: { notEquals: 'gold' }, value: 'gold', matches: false },
    { when: { in: ['eu', 'uk'] }, value: 'uk', matches: true },
    { when: { in: ['eu', 'uk'] }, value: 'us', matches: false },
    { when: { greaterThan: 4 }, value: 4.5, matches: true },
    { when: { greaterThan: 4 }, value: 4, matches: false },
    { when: { greaterThan: 4 }, value: '5', matches: false },
    { when: { lessThan: 4 }, value: 3, matches: true },
    { when: { atLeast: 4 }, value: 4, matches: true },
    { when: { atMost: 4 }, value: 4, matches: true },
    { when: { atMost: 4 }, value: undefined, matches: false },
    { when: { exists: true }, value: 0, matches: true },
    { when: { exists: true }, value: undefined, matches: false },
    { when: { exists: false }, value: undefined, matches: true },
  ])('$when against $value: matches $matches', ({ when, value, matches }) => {
    const decision = decide(one(when), tagged(value));
    expect(decision.arm).toBe(matches ? 1 : 2);
    expect(decision).not.toHaveProperty('explore');
    expect(decision.estimates).toEqual([]);
  });

  it('takes the first case that holds, and says which in its reason', () => {
    const raw = {
      cases: [
        { field: 'meta.tags.tier', equals: 'gold', child: 'big' },
        { field: 'data.ndarray[0][1]', atLeast: 2, child: 'small' },
        { field: 'data.ndarray[0][1]', atLeast: 1, child: 'other' },
      ],
    };
    expect(decide(raw, { meta: { tags: { tier: 'gold' } }, data: { ndarray: [[0, 5]] } })).toMatchObject({ arm: 0, reason: 'case 0: meta.tags.tier is "gold", equals "gold": big' });
    expect(decide(raw, { data: { ndarray: [[0, 5]] } })).toMatchObject({ arm: 1, reason: 'case 1: data.ndarray[0][1] is 5, atLeast 2: small' });
    expect(decide(raw, { data: { ndarray: [[0, 1.5]] } })).toMatchObject({ arm: 2 });
  });

  it('compares integers read from 64-bit tensors as numbers', () => {
    const message = { data: { tensor: { shape: [1], values: new BigInt64Array([7n]) } } };
    expect(decide(one({ equals: 7 }, 'data.tensor.values[0]'), message).arm).toBe(1);
    expect(decide(one({ greaterThan: 6 }, 'data.tensor.values[0]'), message).arm).toBe(1);
  });

  it('sends a request that matches nothing to the default, saying what it saw', () => {
    expect(decide(one({ equals: 'gold' }), tagged('tin'))).toMatchObject({ arm: 2, reason: 'no case matched (meta.tags.v is "tin"): default' });
    // However long the value, the reason stays short.
    expect(decide(one({ equals: 'gold' }), tagged('x'.repeat(100_000))).reason).toBe(`no case matched (meta.tags.v is "${'x'.repeat(60)}"… (100000 characters)): default`);
    expect(decide(one({ equals: 'gold' }), tagged({ deep: [1, 2] })).reason).toBe('no case matched (meta.tags.v is an object): default');
  });

  it('refuses a request that matches nothing when there is no default', () => {
    const raw = { cases: [{ field: 'meta.tags.tier', equals: 'gold', child: 'big' }, { field: 'data.ndarray', exists: false, child: 'small' }] };
    const attempt = () => decide(raw, { data: { ndarray: [[1]] } });
    expect(attempt).toThrow(NoMatchingRouteError);
    expect(attempt).toThrow('matched none of the switch\'s cases (meta.tags.tier equals "gold"; data.ndarray exists false): meta.tags.tier is absent; data.ndarray is a list');
  });

  it('ignores feedback in its decisions', () => {
    const raw = one({ equals: 'gold' });
    const rewarded = switchRouter.update(state, parse(raw), 2, 1);
    expect(switchRouter.decide(rewarded, parse(raw), rng, tagged('gold')).arm).toBe(1);
    expect(switchRouter.learns).toBe(false);
  });
});
