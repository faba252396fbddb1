/**
 * @module Kubernetes label selectors as the apiserver parses them from `?labelSelector=`: equality
 * (`a=b`, `a==b`, `a!=b`), set (`a in (x,y)`, `a notin (x)`) and existence (`a`, `!a`), comma-separated (AND).
 */
import { badRequest } from './status.ts';

type Requirement = (labels: Record<string, string>) => boolean;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function requirement(term: string): Requirement {
  let match = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
  if (match) {
    const [, key, op, value] = match as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  match = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (match) {
    const [, key, op, list] = match as unknown as [string, string, string, string];
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => l[key] !== undefined && values.has(l[key]!) : (l) => l[key] === undefined || !values.has(l[key]!);
  }
  match = /^(!?)([\w./-]+)$/.exec(term);
  if (match) {
    const [, not, key] = match as unknown as [string, string, string];
    return not === '!' ? (l) => !(key in l) : (l) => key in l;
  }
  throw badRequest(`unable to parse requirement: found '${term}', expected: key, key=value, key!=value, key in (…), key notin (…), !key`);
}

/** A predicate over an object's labels; the empty selector matches everything. */
export function parseLabelSelector(selector: string | null): (labels: Record<string, string> | undefined) => boolean {
  const requirements = selector === null ? [] : splitTopLevel(selector).map(requirement);
  return (labels) => requirements.every((r) => r(labels ?? {}));
}
