/**
 * @module A problem found before rendering: data first (code, path, value received), the message derived from it.
 */

export interface RenderIssue {
  /** `error` stops `renderManifests`; `warning` renders but will not behave as the plan says on every cluster. */
  severity: 'error' | 'warning';
  /** Stable snake_case code, for tests and tools. */
  code: string;
  /** Where in the plan (or the render options): `functions.good-model.scaling.minScale`. */
  path: string;
  /** The offending value. */
  received: unknown;
  /** What is wrong, in Knative's terms: `min-scale 5 is greater than max-scale 3`. */
  message: string;
  /** What to write instead. */
  hint: string;
}

/** An issue that stops rendering. */
export function error(code: string, path: string, received: unknown, message: string, hint: string): RenderIssue {
  return { severity: 'error', code, path, received, message, hint };
}

/** An issue that lets rendering go on. */
export function warning(code: string, path: string, received: unknown, message: string, hint: string): RenderIssue {
  return { severity: 'warning', code, path, received, message, hint };
}

/** One issue as two lines, zod's `prettifyError` style: `✖ path: message` then `  → hint`. */
export function formatRenderIssue(issue: RenderIssue): string {
  const mark = issue.severity === 'error' ? '✖' : '⚠';
  return `${mark} ${issue.path}: ${issue.message}\n  → ${issue.hint}`;
}

/** Thrown by `renderManifests` when the plan or the options have errors; carries every issue found. */
export class RenderError extends Error {
  readonly issues: readonly RenderIssue[];

  constructor(issues: readonly RenderIssue[]) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    super(
      `Cannot render Knative manifests: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n` +
        errors.map(formatRenderIssue).join('\n'),
    );
    this.name = 'RenderError';
    this.issues = issues;
  }
}
