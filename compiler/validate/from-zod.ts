/**
 * @module zod's issues turned into switchyard issues: a stable code, the path, the value received and a hint
 * built from what the schema says about the field (its description, examples, keys and range).
 */
import type { z } from 'zod';
import { describeValue, fieldInfo, fieldLabel, specIssue } from '../spec/index.ts';
import type { FieldInfo, IssueCode, IssuePath, SpecIssue } from '../spec/index.ts';
import { didYouMean, yamlInline } from './suggest.ts';

type Schema = z.core.$ZodType;
type ZodIssue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
  record: 'an object',
};

const typeWord = (expected: string): string => TYPE_WORDS[expected] ?? expected;

function rangeWords(info: FieldInfo): string | undefined {
  const kind = info.integer ? 'a whole number' : 'a number';
  if (info.min !== undefined && info.max !== undefined) return `${kind} from ${info.min} to ${info.max}`;
  if (info.min !== undefined) return `${kind} of at least ${info.min}`;
  if (info.max !== undefined) return `${kind} of at most ${info.max}`;
  return undefined;
}

function lastKey(path: IssuePath): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

/** `, e.g. maxScale: 8` from the field's examples (empty when it has none). */
function example(path: IssuePath, info: FieldInfo): string {
  const key = lastKey(path);
  const first = info.examples?.[0];
  const written = first === undefined ? '' : typeof path[path.length - 1] === 'number' || key === undefined ? yamlInline(first) : `${key}: ${yamlInline(first)}`;
  return written === '' ? '' : `, e.g. ${written}`;
}

interface Mapper {
  root: Schema;
  prefix: IssuePath;
}

function issue(m: Mapper, code: IssueCode, relative: IssuePath, message: string, hint: string, received?: unknown): SpecIssue {
  const path = [...m.prefix, ...relative];
  return specIssue(code, path, `${fieldLabel(path)}: ${message}`, hint, received);
}

function missing(m: Mapper, relative: IssuePath): SpecIssue {
  const info = fieldInfo(m.root, relative);
  const key = lastKey(relative) ?? 'the field';
  const written = info.examples?.[0] === undefined ? `${key}:` : `${key}: ${yamlInline(info.examples[0])}`;
  const description = info.description?.replace(/\.$/, '').replace(/^[A-Z](?![A-Z])/, (c) => c.toLowerCase());
  const about = description ? ` (${description})` : '';
  return issue(m, 'missing_field', relative, 'required field is missing', `add ${written}${about}`);
}

/** Scores a union branch: fewer issues at the union's own level means the value's type matched better. */
function branchScore(issues: ZodIssue[]): number {
  return issues.reduce((score, i) => score + (i.path.length === 0 ? 100 : 1), 0);
}

function fromUnion(m: Mapper, iss: z.core.$ZodIssueInvalidUnion): SpecIssue[] {
  const relative = iss.path as IssuePath;
  if (iss.errors.length === 0 && 'discriminator' in iss) {
    const { discriminator, options } = iss as unknown as { discriminator: string; options: unknown[] };
    const value = (iss.input as Record<string, unknown> | undefined)?.[discriminator];
    if (value === undefined) return [missing(m, relative)];
    const names = options.map(String);
    return [
      issue(m, 'invalid_value', relative, `expected one of ${names.map((o) => `"${o}"`).join(', ')}, received ${describeValue(value)}`,
        `${didYouMean(String(value), names)}write one of: ${names.join(', ')}`, value),
    ];
  }
  const candidates = iss.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (candidates.length === 0) {
    const expected = [...new Set(iss.errors.flatMap((branch) => branch.map((i) => typeWord((i as { expected?: string }).expected ?? 'value'))))];
    const words = expected.join(' or ');
    const info = fieldInfo(m.root, relative);
    return [issue(m, 'invalid_type', relative, `expected ${words}, received ${describeValue(iss.input)}`, `write ${words}${example(relative, info)}`, iss.input)];
  }
  const best = candidates.reduce((a, b) => (branchScore(b) < branchScore(a) ? b : a));
  return best.flatMap((i) => fromIssue(m, { ...i, path: [...relative, ...i.path] } as ZodIssue, iss.input));
}

function fromIssue(m: Mapper, iss: ZodIssue, parentInput?: unknown): SpecIssue[] {
  const relative = iss.path as IssuePath;
  const input = 'input' in iss ? iss.input : undefined;
  switch (iss.code) {
    case 'invalid_type': {
      if (input === undefined && iss.path.length > 0) return [missing(m, relative)];
      const info = fieldInfo(m.root, relative);
      const expected = typeWord(iss.expected);
      return [issue(m, 'invalid_type', relative, `expected ${expected}, received ${describeValue(input)}`, `write ${expected}${example(relative, info)}`, input)];
    }
    case 'invalid_value': {
      const values = iss.values.map(String);
      const expected = values.length === 1 ? `"${values[0]}"` : `one of ${values.map((v) => `"${v}"`).join(', ')}`;
      const key = lastKey(relative);
      const hint = values.length === 1 && key !== undefined ? `write ${key}: ${values[0]}` : `${typeof input === 'string' ? didYouMean(input, values) : ''}write one of: ${values.join(', ')}`;
      return [issue(m, 'invalid_value', relative, `expected ${expected}, received ${describeValue(input)}`, hint, input)];
    }
    case 'invalid_format': {
      const info = fieldInfo(m.root, relative);
      const text = iss.message.startsWith('expected') ? iss.message : `expected the format ${iss.format}`;
      return [issue(m, 'invalid_format', relative, `${text}, received ${describeValue(input)}`, `write ${text.replace(/^expected /, '')}${example(relative, info)}`, input)];
    }
    case 'too_small':
    case 'too_big': {
      const info = fieldInfo(m.root, relative);
      const bound = iss.code === 'too_small' ? iss.minimum : iss.maximum;
      const op = iss.code === 'too_small' ? (iss.inclusive ? '>=' : '>') : iss.inclusive ? '<=' : '<';
      let expected: string;
      let hint: string;
      if (iss.origin === 'array' || iss.origin === 'string') {
        const unit = iss.origin === 'array' ? 'item' : 'character';
        const many = `${bound} ${unit}${Number(bound) === 1 ? '' : 's'}`;
        expected = iss.code === 'too_small' ? `at least ${many}` : `at most ${many}`;
        hint = `write ${expected}${example(relative, info)}`;
      } else {
        expected = `${info.integer ? 'a whole number' : 'a number'} ${op} ${bound}`;
        hint = `write ${rangeWords(info) ?? expected}`;
      }
      const received = iss.origin === 'array' && Array.isArray(input) ? `${input.length} item${input.length === 1 ? '' : 's'}` : describeValue(input);
      return [issue(m, 'out_of_range', relative, `expected ${expected}, received ${received}`, hint, input)];
    }
    case 'unrecognized_keys': {
      const known = fieldInfo(m.root, relative).keys;
      return iss.keys.map((key) => {
        const value = (input as Record<string, unknown> | undefined)?.[key] ?? (parentInput as Record<string, unknown> | undefined)?.[key];
        const guess = didYouMean(key, known);
        const fields = `the fields here are: ${known.join(', ')}`;
        return issue(m, 'unknown_field', [...relative, key], 'unknown field', guess === '' ? `remove it; ${fields}` : `${guess}Otherwise remove it; ${fields}`, value);
      });
    }
    case 'invalid_union':
      return fromUnion(m, iss);
    case 'custom': {
      // `quiet`: the message already says what was received (a whole object would read as "received an object").
      const params = (iss.params ?? {}) as { code?: IssueCode; hint?: string; quiet?: boolean };
      const received = input === undefined || params.quiet === true ? '' : `, received ${describeValue(input)}`;
      return [issue(m, params.code ?? 'invalid_value', relative, `${iss.message}${received}`, params.hint ?? 'see the description of this field', input)];
    }
    default:
      return [issue(m, 'invalid_value', relative, iss.message, 'see the description of this field', input)];
  }
}

/**
 * Converts zod issues of a `safeParse(value, { reportInput: true })` into switchyard issues.
 * @param root the schema that was parsed (for hints), @param prefix the path of the parsed value in the file.
 */
export function fromZodIssues(issues: readonly ZodIssue[], root: Schema, prefix: IssuePath = []): SpecIssue[] {
  const m: Mapper = { root, prefix };
  return issues.flatMap((iss) => fromIssue(m, iss));
}
