/**
 * @module Switch router: sends each request to a child chosen by conditions on the request itself, like KServe's
 * `Switch` inference-graph node.
 *
 * Cases are tried in order; the first whose condition holds picks its child. A request that matches no case goes
 * to `default`, or, without one, is refused (a 400 that names the router and its cases). The router sees the
 * message as it reaches the node: after the transformers above it, with every `meta.tags` set so far, so an
 * upstream component can route by tagging. Deterministic; it never learns (feedback is accepted and ignored).
 *
 * Parameters:
 * - `cases`: a list of `{field, child, <operator>: value}` with exactly one operator: `equals`, `notEquals`, `in`
 *   (a list), `greaterThan`, `lessThan`, `atLeast`, `atMost` (numbers), or `exists` (true or false). `field` is a
 *   path into the Seldon message (./field-path.ts), `child` one of the node's children, by name.
 * - `default`: the child for a request that matches no case (optional).
 */
import { checkStateFits, freshState, recordReward } from './_bandit-state.ts';
import { checkChildCount, checkKnownParameters } from './_parameters.ts';
import { parseFieldPath, readField, type FieldPath } from './field-path.ts';
import { NoMatchingRouteError, RouterParameterError, type RouterModule } from './types.ts';

export const SWITCH_OPERATORS = ['equals', 'notEquals', 'in', 'greaterThan', 'lessThan', 'atLeast', 'atMost', 'exists'] as const;
export type SwitchOperator = (typeof SWITCH_OPERATORS)[number];

type Scalar = string | number | boolean | null;

interface SwitchCase {
  field: string;
  path: FieldPath;
  arm: number;
  child: string;
  operator: SwitchOperator;
  operand: unknown;
  test: (value: unknown) => boolean;
}

export interface SwitchParameters {
  cases: SwitchCase[];
  /** The arm for a request that matches no case; undefined: such a request is refused. */
  defaultArm: number | undefined;
}

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A number read from a message (typed arrays of 64-bit integers hold bigints), or undefined. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Equality as the request carries the value: a number read from an integer tensor equals that number. */
function same(value: unknown, operand: Scalar): boolean {
  if (typeof value === 'bigint' && typeof operand === 'number') return Number(value) === operand;
  return value === operand;
}

function makeTest(operator: SwitchOperator, operand: unknown): (value: unknown) => boolean {
  switch (operator) {
    case 'equals':
      return (v) => same(v, operand as Scalar);
    case 'notEquals':
      return (v) => !same(v, operand as Scalar);
    case 'in':
      return (v) => (operand as Scalar[]).some((o) => same(v, o));
    case 'greaterThan':
      return (v) => (numberOf(v) ?? NaN) > (operand as number);
    case 'lessThan':
      return (v) => (numberOf(v) ?? NaN) < (operand as number);
    case 'atLeast':
      return (v) => (numberOf(v) ?? NaN) >= (operand as number);
    case 'atMost':
      return (v) => (numberOf(v) ?? NaN) <= (operand as number);
    case 'exists':
      return (v) => (v !== undefined) === operand;
  }
}

/** A value for a reason or an error: short, whatever the request holds (a long string is cut at 60 characters). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && value.length > 60) return `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)`;
  if (isScalar(value)) return JSON.stringify(value);
  return Array.isArray(value) || ArrayBuffer.isView(value) ? 'a list' : 'an object';
}

function parseCase(raw: unknown, i: number, children: readonly string[]): SwitchCase {
  const err = (msg: string) => new RouterParameterError('switch', `cases[${i}]`, msg);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw err(`expected {field, child, <operator>: value}, received ${JSON.stringify(raw)}`);
  }
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (key !== 'field' && key !== 'child' && !(SWITCH_OPERATORS as readonly string[]).includes(key)) {
      throw err(`unknown key "${key}"; a case has field, child and one of ${SWITCH_OPERATORS.join(', ')}`);
    }
  }
  if (typeof c['field'] !== 'string') throw err(`field: expected a path into the request such as meta.tags.tier, received ${JSON.stringify(c['field'])}`);
  let path: FieldPath;
  try {
    path = parseFieldPath(c['field']);
  } catch (error) {
    throw err(`field: ${(error as Error).message}`);
  }
  const child = c['child'];
  const arm = typeof child === 'string' ? children.indexOf(child) : -1;
  if (arm < 0) throw err(`child: expected one of this router's children (${children.join(', ')}), received ${JSON.stringify(child)}`);
  const operators = SWITCH_OPERATORS.filter((op) => c[op] !== undefined);
  if (operators.length !== 1) {
    throw err(`expected exactly one operator (${SWITCH_OPERATORS.join(', ')}), received ${operators.length === 0 ? 'none' : operators.join(' and ')}`);
  }
  const operator = operators[0]!;
  const operand = c[operator];
  const numeric = operator === 'greaterThan' || operator === 'lessThan' || operator === 'atLeast' || operator === 'atMost';
  if (numeric && (typeof operand !== 'number' || !Number.isFinite(operand))) throw err(`${operator}: expected a number, received ${JSON.stringify(operand)}`);
  if (operator === 'exists' && typeof operand !== 'boolean') throw err(`exists: expected true or false, received ${JSON.stringify(operand)}`);
  if ((operator === 'equals' || operator === 'notEquals') && !isScalar(operand)) {
    throw err(`${operator}: expected a string, number, boolean or null, received ${JSON.stringify(operand)}`);
  }
  if (operator === 'in' && (!Array.isArray(operand) || operand.length === 0 || !operand.every(isScalar))) {
    throw err(`in: expected a non-empty list of strings, numbers, booleans or nulls, received ${JSON.stringify(operand)}`);
  }
  return { field: c['field'], path, arm, child: child as string, operator, operand, test: makeTest(operator, operand) };
}

export const switchRouter = {
  name: 'switch',
  learns: false,

  parseParameters(raw: Record<string, unknown>, childCount: number, children?: readonly string[]): SwitchParameters {
    checkChildCount('switch', childCount);
    checkKnownParameters('switch', raw, ['cases', 'default'], childCount);
    const names = children ?? Array.from({ length: childCount }, (_, i) => String(i));
    const cases = raw['cases'];
    if (!Array.isArray(cases) || cases.length === 0) {
      throw new RouterParameterError('switch', 'cases', `expected a non-empty list of {field, child, <operator>: value}, received ${JSON.stringify(cases)}`);
    }
    const fallback = raw['default'];
    let defaultArm: number | undefined;
    if (fallback !== undefined) {
      defaultArm = typeof fallback === 'string' ? names.indexOf(fallback) : -1;
      if (defaultArm < 0) {
        throw new RouterParameterError('switch', 'default', `expected one of this router's children (${names.join(', ')}), received ${JSON.stringify(fallback)}`);
      }
    }
    return { cases: cases.map((c, i) => parseCase(c, i, names)), defaultArm };
  },

  initialState: freshState,

  decide(state, params, _rng, message) {
    checkStateFits(state);
    const seen: string[] = [];
    for (const [i, c] of params.cases.entries()) {
      const value = readField(message, c.path);
      if (c.test(value)) {
        return {
          arm: c.arm,
          estimates: [],
          reason: `case ${i}: ${c.field} is ${describeValue(value)}, ${c.operator} ${JSON.stringify(c.operand)}: ${c.child}`,
        };
      }
      seen.push(`${c.field} is ${describeValue(value)}`);
    }
    const checked = [...new Set(seen)].join('; ');
    if (params.defaultArm !== undefined) {
      return { arm: params.defaultArm, estimates: [], reason: `no case matched (${checked}): default` };
    }
    const cases = params.cases.map((c) => `${c.field} ${c.operator} ${JSON.stringify(c.operand)}`).join('; ');
    throw new NoMatchingRouteError(
      `the request matched none of the switch's cases (${cases}): ${checked}; send a request that matches one, or give the router a default child`,
    );
  },

  update(state, _params, arm, reward) {
    return recordReward(state, arm, reward);
  },
} satisfies RouterModule<SwitchParameters>;
