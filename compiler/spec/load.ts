/**
 * @module Reading a graph file (YAML or JSON) with the line of every value, so that each issue can say where
 * it is. A syntax error or a duplicate key is an issue, never an exception.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { fieldLabel, specIssue } from './issue.ts';
import type { IssuePath, SpecIssue } from './issue.ts';

export const GRAPH_FILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
/** A model file given where a graph file is expected: served as a one-node graph (as a KServe InferenceService serves one model). */
export const MODEL_FILE_EXTENSION = '.onnx';

export interface FilePosition {
  line: number;
  column: number;
}

/** Where a path is in the file: the deepest part of it that exists (the parent object when a field is missing). */
export type Locator = (path: IssuePath) => FilePosition | undefined;

export interface ParsedGraphText {
  /** The document as plain data (what the schema validates); undefined for an empty file. */
  data: unknown;
  /** Syntax errors and duplicate keys, with their lines. */
  issues: SpecIssue[];
  /** True when the text had YAML syntax errors: `data` is then not worth validating. */
  syntaxError: boolean;
  locate: Locator;
}

export interface LoadedGraphFile extends ParsedGraphText {
  /** The path as given. */
  file: string;
  /** Absolute directory of the file: model and component paths are relative to it. */
  graphDir: string;
}

type AnyDocument = Document.Parsed | Document;

function childNode(doc: AnyDocument, node: unknown, segment: string | number): { node: unknown; offset?: number } | undefined {
  const current = isAlias(node) ? node.resolve(doc as Document) : node;
  if (isMap(current)) {
    for (let i = current.items.length - 1; i >= 0; i--) {
      const pair = current.items[i]!;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(segment)) {
        const keyNode = pair.key as YamlNode | null;
        const offset = keyNode?.range?.[0];
        return offset === undefined ? { node: pair.value } : { node: pair.value, offset };
      }
    }
    return undefined;
  }
  if (isSeq(current) && typeof segment === 'number') {
    const item = current.items[segment] as YamlNode | undefined;
    if (item === undefined) return undefined;
    const offset = item.range?.[0];
    return offset === undefined ? { node: item } : { node: item, offset };
  }
  return undefined;
}

function makeLocator(doc: AnyDocument, lineCounter: LineCounter): Locator {
  return function locate(issuePath) {
    let node: unknown = doc.contents;
    let offset = (doc.contents as YamlNode | null)?.range?.[0];
    for (const segment of issuePath) {
      const next = childNode(doc, node, segment);
      if (next === undefined) break;
      node = next.node;
      if (next.offset !== undefined) offset = next.offset;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}

function duplicateKeys(doc: AnyDocument, lineCounter: LineCounter): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const lineOf = (node: unknown) => {
    const offset = (node as YamlNode | null)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  const walk = (node: unknown, at: IssuePath): void => {
    if (isMap(node)) {
      const firstLines = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const keyPath = [...at, key];
        if (firstLines.has(key)) {
          const first = firstLines.get(key);
          const isNode = at.length === 2 && at[0] === 'spec' && at[1] === 'nodes';
          const issue = specIssue(
            'duplicate_key',
            keyPath,
            `${fieldLabel(keyPath)}: ${isNode ? `two nodes are named "${key}"` : `"${key}" is set twice`}${first ? ` (first on line ${first})` : ''}`,
            isNode ? 'rename one of the nodes: node names are unique' : `keep one "${key}" entry`,
          );
          const line = lineOf(pair.key);
          if (line !== undefined) issue.line = line;
          issues.push(issue);
        } else firstLines.set(key, lineOf(pair.key));
        walk(pair.value, keyPath);
      }
    } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...at, index]));
  };
  walk(doc.contents, []);
  return issues;
}

/** Parses the text of a graph file (YAML 1.2, which JSON is part of). */
export function parseGraphText(text: string): ParsedGraphText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const locate = makeLocator(doc, lineCounter);
  const issues: SpecIssue[] = doc.errors.map((error) => {
    const issue = specIssue(
      'yaml_syntax',
      [],
      `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      'fix the YAML syntax at this position (check indentation, colons and closing brackets)',
    );
    const position = error.linePos?.[0];
    if (position) {
      issue.line = position.line;
      issue.column = position.col;
    }
    return issue;
  });
  const syntaxError = issues.length > 0;
  issues.push(...duplicateKeys(doc, lineCounter));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    issues.push(specIssue('yaml_syntax', [], `YAML error: ${(error as Error).message}`, 'simplify the anchors and aliases in the file'));
    return { data: undefined, issues, syntaxError: true, locate };
  }
  return { data: data ?? undefined, issues, syntaxError, locate };
}

/** Reads and parses a graph file (`.yaml`, `.yml` or `.json`). Never throws: problems come back as issues. */
export async function loadGraphFile(file: string): Promise<LoadedGraphFile> {
  const graphDir = path.dirname(path.resolve(file));
  // A file that cannot be read at all: no data, no positions, one issue.
  const unreadable = (issue: ReturnType<typeof specIssue>): LoadedGraphFile => ({ file, graphDir, data: undefined, syntaxError: true, locate: () => undefined, issues: [issue] });
  const extension = path.extname(file).toLowerCase();
  if (extension === MODEL_FILE_EXTENSION) {
    try {
      await access(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      return unreadable(specIssue('file_not_found', [], `cannot read ${file}: ${reason}`, 'check the path of the model file'));
    }
    return { file, graphDir, data: singleModelGraph(file), issues: [], syntaxError: false, locate: () => undefined };
  }
  if (!GRAPH_FILE_EXTENSIONS.includes(extension)) {
    return unreadable(
      specIssue(
        'unsupported_file_type',
        [],
        `${path.basename(file)}: a graph file ends in .yaml, .yml or .json (or give an .onnx model, served as a graph of one node)`,
        'rename the file to graph.yaml (YAML) or graph.json (JSON)',
        extension || file,
      ),
    );
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return unreadable(specIssue('file_not_found', [], `cannot read ${file}: ${reason}`, 'check the path of the graph file'));
  }
  return { file, graphDir, ...parseGraphText(text) };
}

/**
 * The graph an .onnx file stands for: one MODEL node, `model`, in a graph named after the file (lowercase letters,
 * digits and "-"), fused into the orchestrator, so `switchyard up iris.onnx` serves it at /v2/models/iris/infer.
 */
export function singleModelGraph(file: string): Record<string, unknown> {
  const name =
    path
      .basename(file, path.extname(file))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'model';
  return {
    apiVersion: 'switchyard.dev/v1alpha1',
    kind: 'InferenceGraph',
    metadata: { name: /^[a-z]/.test(name) ? name : `model-${name}` },
    // Fused: the model runs inside the orchestrator, one network hop less (what a single model wants).
    spec: { root: 'model', fusion: 'auto', nodes: { model: { type: 'MODEL', onnx: { path: `./${path.basename(file)}` } } } },
  };
}
