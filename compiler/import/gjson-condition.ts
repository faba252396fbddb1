/**
 * @module A KServe InferenceGraph Switch step's `condition` (a GJSON expression the router evaluates on the request:
 * the step runs when it finds something) as a case of Switchyard's `switch` router, where it has one.
 *
 * Translated: a comparison of one field with a value, `[@this].#(<path> <op> <value>)` (op `==`, `!=`, `<`, `<=`,
 * `>`, `>=`; value a JSON string, number, true, false or null, or a bare word, read as a string), and a field's
 * presence, `<path>` or `[@this].#(<path>)`. The path is where the field arrives in the graph from a V1
 * `:predict` body: `instances…` is the rows (`data.ndarray`), any other top-level field a request tag
 * (`meta.tags…`). Anything else (`%` patterns, `||`, nested queries, modifiers) has no translation, and says so.
 */
import type { SwitchOperator } from '../../runtime/routers/switch.ts';

export type SwitchCaseSpec = { field: string } & Partial<Record<SwitchOperator, unknown>>;

const OPERATORS: Readonly<Record<string, SwitchOperator>> = { '==': 'equals', '!=': 'notEquals', '<': 'lessThan', '<=': 'atMost', '>': 'greaterThan', '>=': 'atLeast' };
const PATH = '[A-Za-z_][\\w-]*(?:\\.(?:[A-Za-z_][\\w-]*|\\d+))*';
const COMPARISON = new RegExp(`^\\[@this\\]\\.#\\(\\s*(${PATH})\\s*(==|!=|<=|>=|<|>)\\s*([^()]+?)\\s*\\)$`);
const PRESENCE = new RegExp(`^(?:\\[@this\\]\\.#\\(\\s*(${PATH})\\s*\\)|(${PATH}))$`);

/** The switch case for `condition`, or why it has none. */
export function conditionToCase(condition: string): { case: SwitchCaseSpec } | { problem: string } {
  const text = condition.trim();
  const comparison = COMPARISON.exec(text);
  if (comparison !== null) {
    const [, path, op, raw] = comparison as unknown as [string, string, string, string];
    const value = valueOf(raw);
    if (value === undefined) return { problem: `${JSON.stringify(condition)}: the value ${raw} is not a JSON string, number, true, false, null or a bare word` };
    const operator = OPERATORS[op]!;
    if (['lessThan', 'atMost', 'greaterThan', 'atLeast'].includes(operator) && typeof value !== 'number') {
      return { problem: `${JSON.stringify(condition)}: ${op} compares numbers here; ${raw} is not one` };
    }
    return { case: { field: fieldOf(path), [operator]: value } };
  }
  const presence = PRESENCE.exec(text);
  if (presence !== null) return { case: { field: fieldOf((presence[1] ?? presence[2])!), exists: true } };
  return {
    problem:
      `${JSON.stringify(condition)} has no translation: write the case by hand (switch cases compare one field with a value: ` +
      'equals, notEquals, in, greaterThan, lessThan, atLeast, atMost or exists)',
  };
}

/** Where a request field named by a GJSON path arrives in the graph. */
function fieldOf(path: string): string {
  const [first, ...rest] = path.split('.');
  const tail = rest.map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('');
  return first === 'instances' ? `data.ndarray${tail}` : `meta.tags.${first}${tail}`;
}

function valueOf(raw: string): unknown {
  if (/^".*"$/.test(raw)) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  return /^[\w.-]+$/.test(raw) ? raw : undefined;
}
