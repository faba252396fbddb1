/**
 * @module Payload problems as data, rendered in one place: `<path>: expected X, received Y`.
 *
 * The codecs collect `PayloadIssue`s (from zod and from their own checks) and raise one `ProtocolError`
 * naming every problem, the first problem's path as its `field`.
 */
import type { z } from 'zod';
import { ProtocolError, type Reason } from './errors.ts';

export type PathSegment = string | number;

export interface PayloadIssue {
  path: PathSegment[];
  /** What is wrong, without the path: "expected an array of integers, received string". */
  message: string;
}

/** At most this many issues are spelled out in one message; the rest are counted. */
export const MAX_ISSUES_IN_MESSAGE = 8;

/** `['data', 'tensor', 'values', 2]` → `data.tensor.values[2]`; the empty path is `(body)`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(body)' : out;
}

/** A short description of a received value: `string "NaN"`, `number 1.5`, `null`, `array`, `object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

/** zod issues → payload issues with our wording. `hintFor(path)` may add the allowed keys of an object. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  hintFor?: (path: PathSegment[]) => string | undefined,
): PayloadIssue[] {
  const out: PayloadIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    switch (issue.code) {
      case 'invalid_type': {
        const received = 'input' in issue ? describeValue(issue.input) : 'a different type';
        const message =
          issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, received ${received}`;
        out.push({ path, message });
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = hintFor?.(path);
          out.push({ path: [...path, key], message: `unknown field${hint === undefined ? '' : `; expected one of ${hint}`}` });
        }
        break;
      case 'invalid_value':
        out.push({
          path,
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${describeValue(issue.input)}`,
        });
        break;
      case 'too_small':
        out.push({ path, message: `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : ''}` });
        break;
      case 'invalid_union':
        out.push({ path, message: `expected ${describeUnion(issue)}, received ${describeValue(issue.input)}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const sub of branch) if (sub.code === 'invalid_type' && sub.path.length === 0) expected.add(sub.expected);
  }
  return expected.size === 0 ? 'a valid value' : [...expected].join(' or ');
}

/** One `ProtocolError` (400 unless told) naming every issue: `<what>: <path>: <message>; …`. */
export function issuesToError(
  what: string,
  issues: readonly PayloadIssue[],
  options: { status?: number; reason?: Reason; pathPrefix?: PathSegment[] } = {},
): ProtocolError {
  const prefix = options.pathPrefix ?? [];
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${formatPath([...prefix, ...i.path])}: ${i.message}`);
  const more = issues.length > MAX_ISSUES_IN_MESSAGE ? `; and ${issues.length - MAX_ISSUES_IN_MESSAGE} more problem(s)` : '';
  const first = issues[0];
  const errOptions: ConstructorParameters<typeof ProtocolError>[1] = { status: options.status ?? 400 };
  if (options.reason !== undefined) errOptions.reason = options.reason;
  if (first !== undefined) errOptions.field = formatPath([...prefix, ...first.path]);
  return new ProtocolError(`${what}: ${shown.join('; ')}${more}`, errOptions);
}
