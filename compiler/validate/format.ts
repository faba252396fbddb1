/**
 * @module Issues as text, the way zod's prettifyError prints them:
 * `✖ <message>`, `  → at <path> (graph.yaml line 14)`, `  hint: <what to write>`, then a count line.
 */
import { formatPath } from '../spec/index.ts';
import type { SpecIssue } from '../spec/index.ts';

function location(issue: SpecIssue, fileName: string): string {
  if (issue.path[0] === 'overrides') return `  → at ${formatPath(issue.path)} (command line)`;
  const where = issue.line === undefined ? fileName : `${fileName} line ${issue.line}${issue.column === undefined ? '' : `, column ${issue.column}`}`;
  return issue.path.length === 0 ? `  → at ${where}` : `  → at ${formatPath(issue.path)} (${where})`;
}

/** Renders issues for a terminal; `fileName` is the graph file as the user named it. */
export function formatIssues(issues: readonly SpecIssue[], fileName: string): string {
  const lines: string[] = [];
  for (const issue of issues) {
    lines.push(`✖ ${issue.message}`, location(issue, fileName), `  hint: ${issue.hint}`);
  }
  const count = issues.length === 0 ? 'No problems' : `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  lines.push(`${count} found in ${fileName}`);
  return `${lines.join('\n')}\n`;
}
