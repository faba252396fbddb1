/**
 * @module Checks on a whole parsed JSON body before any codec walks it: how deep it nests, and keys that
 * could change object prototypes.
 *
 * `JSON.parse` itself copes with deep input, but recursive code after it (`JSON.stringify`, validators,
 * user components) would exhaust the stack, so a body nested deeper than `MAX_JSON_DEPTH` levels is a 400.
 * `__proto__` keys, and `constructor` keys holding a `prototype`, are a 400 anywhere: no protocol field is
 * named so, and merging such a body into another object is how prototype pollution happens. The walk is
 * iterative (an explicit stack), so it is safe on any input `JSON.parse` returns.
 */
import { issuesToError, type PathSegment, type PayloadIssue } from './_issues.ts';
import { REASONS, type ProtocolError } from './errors.ts';

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 100;

/** Path segments shown before a long path is cut short in a message. */
const SHOWN_PATH_SEGMENTS = 12;

/** One open array or object in the walk: the next child to visit, and the key the container sits under. */
interface Cursor {
  array: unknown[] | undefined;
  record: Record<string, unknown> | undefined;
  keys: string[] | undefined;
  next: number;
  /** The key or index of this container in its parent (unused for the root). */
  key: PathSegment;
}

/** The first problem with a parsed JSON body (too deep, or a prototype key), or undefined. Memory: O(depth). */
export function findJsonHazard(value: unknown, maxDepth: number = MAX_JSON_DEPTH): PayloadIssue | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Cursor[] = [];
  const pathTo = (extra: PathSegment[] = []): PathSegment[] => [...stack.slice(1).map((c) => c.key), ...extra];
  const open = (container: object, key: PathSegment): PayloadIssue | undefined => {
    if (stack.length >= maxDepth) {
      const path = pathTo([key]);
      const cut = path.length > SHOWN_PATH_SEGMENTS ? ` (path cut after ${SHOWN_PATH_SEGMENTS} levels)` : '';
      return {
        path: path.slice(0, SHOWN_PATH_SEGMENTS),
        message: `is nested deeper than ${maxDepth} levels of arrays and objects${cut}; expected at most ${maxDepth} levels`,
      };
    }
    if (Array.isArray(container)) {
      stack.push({ array: container, record: undefined, keys: undefined, next: 0, key });
      return undefined;
    }
    const record = container as Record<string, unknown>;
    const keys = Object.keys(record);
    stack.push({ array: undefined, record, keys, next: 0, key });
    for (const k of keys) {
      if (k === '__proto__') return { path: pathTo([k]), message: PROTOTYPE_KEY };
      const child = record[k];
      if (k === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
        return { path: pathTo([k, 'prototype']), message: PROTOTYPE_KEY };
      }
    }
    return undefined;
  };
  const first = open(value, '');
  if (first !== undefined) return first;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Cursor;
    let child: unknown;
    let key: PathSegment;
    if (top.array !== undefined) {
      if (top.next >= top.array.length) {
        stack.pop();
        continue;
      }
      key = top.next;
      child = top.array[top.next++];
    } else {
      const keys = top.keys as string[];
      if (top.next >= keys.length) {
        stack.pop();
        continue;
      }
      key = keys[top.next++] as string;
      child = (top.record as Record<string, unknown>)[key];
    }
    if (child !== null && typeof child === 'object') {
      const problem = open(child, key);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

const PROTOTYPE_KEY = 'is not an accepted key (it could change object prototypes); remove it';

/** Throws a 400 `ProtocolError` naming where the body is too deep or carries a prototype key. */
export function assertSafeJson(value: unknown, maxDepth: number = MAX_JSON_DEPTH): void {
  const hazard = findJsonHazard(value, maxDepth);
  if (hazard !== undefined) throw unsafe(hazard);
}

function unsafe(issue: PayloadIssue): ProtocolError {
  return issuesToError('Invalid request body', [issue], { reason: REASONS.invalidJson });
}
