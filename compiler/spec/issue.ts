/**
 * @module A problem found in a graph file: plain data with a stable code, the path in the file, the value
 * received and a hint saying what to write instead (rendered by compiler/validate `formatIssues`).
 */

/** Every issue code the compiler reports. Codes are stable: tests, tools and docs may rely on them. */
export const ISSUE_CODES = [
  // reading the file
  'file_not_found',
  'unsupported_file_type',
  'yaml_syntax',
  'duplicate_key',
  // the shape of the spec (zod)
  'missing_field',
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'out_of_range',
  'unknown_field',
  // one node on its own
  'invalid_node_name',
  'reserved_node_name',
  'name_too_long',
  'implementation_missing',
  'implementation_conflict',
  'implementation_type_mismatch',
  'not_allowed_on_builtin',
  'not_allowed_on_remote',
  'parameters_not_allowed',
  'weights_mismatch',
  'invalid_device_count',
  'request_above_limit',
  'scale_bounds',
  // the graph
  'unknown_root',
  'unknown_child',
  'duplicate_child',
  'cycle',
  'multiple_parents',
  'unreachable_node',
  'children_required',
  // files next to the graph, and models named by URL
  'model_file_missing',
  'model_download_failed',
  'model_checksum_mismatch',
  'component_missing',
  'component_build_failed',
  'component_method_missing',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

export type IssuePath = Array<string | number>;

export interface SpecIssue {
  /** Stable snake_case code, one of `ISSUE_CODES`. */
  code: IssueCode;
  /** Where in the file: `['spec', 'nodes', 'bandit', 'children', 1]`. */
  path: IssuePath;
  /** What is wrong, starting with the field: `bandit.children[1]: unknown node "weak-modle"`. */
  message: string;
  /** The value found in the file, when there is one. */
  received?: unknown;
  /** What to write instead. */
  hint: string;
  /** 1-based line in the graph file, when known. */
  line?: number;
  /** 1-based column, for YAML syntax errors. */
  column?: number;
}

/** Builds an issue, leaving `received` out when it is undefined (exactOptionalPropertyTypes). */
export function specIssue(
  code: IssueCode,
  path: IssuePath,
  message: string,
  hint: string,
  received?: unknown,
): SpecIssue {
  const issue: SpecIssue = { code, path, message, hint };
  if (received !== undefined) issue.received = received;
  return issue;
}

/** `spec.nodes.bandit.children[1]`; keys that are not plain names are quoted: `nodes["a.b"]`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The last two named segments of a path, used to start messages: `scaling.minScale`, `bandit.children[1]`. */
export function fieldLabel(path: IssuePath): string {
  const segments: IssuePath[] = [];
  for (const segment of path) {
    if (typeof segment === 'number' && segments.length > 0) segments[segments.length - 1]!.push(segment);
    else segments.push([segment]);
  }
  if (segments.length === 0) return 'graph';
  return formatPath(segments.slice(-2).flat());
}

/** How a received value reads in a message: strings quoted, objects and lists named. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
