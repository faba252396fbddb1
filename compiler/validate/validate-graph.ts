/**
 * @module Validation of a parsed graph file: the schema, the per-node and graph rules and, given the graph's
 * directory, the files it names. Every problem is reported at once; nothing here throws for bad input.
 */
import { InferenceGraphSchema, formatPath, specIssue } from '../spec/index.ts';
import type { InferenceGraph, Locator, SpecIssue } from '../spec/index.ts';
import { fromZodIssues } from './from-zod.ts';
import { checkGraph } from './graph-rules.ts';
import { checkNodes } from './node-rules.ts';
import { checkPolicies } from './policy-rules.ts';
import { checkSources } from './sources.ts';

export type SpecCheck = { ok: true; spec: InferenceGraph } | { ok: false; issues: SpecIssue[] };

export type ValidationResult =
  | { ok: true; spec: InferenceGraph; /** methods each component node's module exports */ componentMethods: Record<string, string[]> }
  | { ok: false; issues: SpecIssue[] };

export interface ValidateOptions {
  /** Directory of the graph file; when given, model files and component modules are checked too. */
  graphDir?: string;
  /** Gives each issue its line (from spec/load). */
  locate?: Locator;
  /** Progress of long work (models downloaded from a URL). */
  log?: (line: string) => void;
}

/** Drops repeated issues, adds lines, and orders issues as they appear in the file. */
export function finalizeIssues(issues: readonly SpecIssue[], locate?: Locator): SpecIssue[] {
  const seen = new Set<string>();
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.code} ${formatPath(issue.path)} ${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const copy = { ...issue };
    if (copy.line === undefined && locate !== undefined) {
      const position = locate(copy.path);
      if (position !== undefined) copy.line = position.line;
    }
    out.push(copy);
  }
  const order = (issue: SpecIssue) => [issue.line ?? Number.MAX_SAFE_INTEGER, issue.column ?? 0] as const;
  return out.sort((a, b) => {
    const [lineA, columnA] = order(a);
    const [lineB, columnB] = order(b);
    return lineA - lineB || columnA - columnB || formatPath(a.path).localeCompare(formatPath(b.path)) || a.code.localeCompare(b.code);
  });
}

/** The schema and every rule that needs no file system, over raw data. Issues carry no lines yet. */
export function checkSpec(data: unknown): SpecCheck {
  if (data === undefined || data === null) {
    return {
      ok: false,
      issues: [specIssue('missing_field', [], 'graph: the file is empty', 'start with apiVersion: switchyard.dev/v1alpha1, kind: InferenceGraph, metadata and spec')],
    };
  }
  const parsed = InferenceGraphSchema.safeParse(data, { reportInput: true });
  const issues = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues, InferenceGraphSchema)),
    ...checkNodes(data),
    ...checkPolicies(data),
    ...checkGraph(data),
  ];
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, spec: parsed.data };
}

/**
 * Validates a parsed graph file.
 * @example
 * const file = await loadGraphFile('graph.yaml');
 * const result = await validateGraph(file.data, { graphDir: file.graphDir, locate: file.locate });
 * if (!result.ok) process.stderr.write(formatIssues(result.issues, 'graph.yaml'));
 */
export async function validateGraph(data: unknown, options: ValidateOptions = {}): Promise<ValidationResult> {
  const checked = checkSpec(data);
  const sources = options.graphDir === undefined ? { issues: [], componentMethods: {} } : await checkSources(data, options.graphDir, options.log);
  const issues = [...(checked.ok ? [] : checked.issues), ...sources.issues];
  if (!checked.ok || issues.length > 0) return { ok: false, issues: finalizeIssues(issues, options.locate) };
  return { ok: true, spec: checked.spec, componentMethods: sources.componentMethods };
}
