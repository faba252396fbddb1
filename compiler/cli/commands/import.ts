/**
 * @module `switchyard import FILE [-o graph.yaml]`: a SeldonDeployment, a KServe InferenceService or a KServe
 * InferenceGraph as a graph file whose nodes call the models where they run (compiler/import). The graph is checked
 * before it is written; what to check by hand is written into the file as comments and printed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { importSeldonDeployment } from '../../import/seldon-deployment.ts';
import type { ImportResult } from '../../import/resource.ts';
import { importInferenceGraph, importInferenceService } from '../../import/kserve.ts';
import { checkSpec, formatIssues } from '../../validate/index.ts';
import type { Output } from '../output.ts';

export async function importCommand(file: string, options: { out?: string }, out: Output): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    out.error(`✖ cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const documents = parseAllDocuments(text);
  const broken = (Array.isArray(documents) ? documents : [documents]).find((d) => d.errors.length > 0);
  if (broken !== undefined) {
    out.error(`✖ ${file}: ${broken.errors[0]!.message}`);
    return 1;
  }
  const objects = (Array.isArray(documents) ? documents : [documents]).map((d) => d.toJS() as unknown);
  const importable = objects.map(importerOf).filter((found): found is NonNullable<ReturnType<typeof importerOf>> => found !== undefined);
  if (importable.length === 0) {
    const kinds = objects.map((o) => JSON.stringify((o as { kind?: unknown } | null)?.kind ?? null)).join(', ');
    out.error(`✖ ${file}: nothing to import in it (kinds: ${kinds || 'none'}); switchyard import reads Seldon Core's SeldonDeployment and KServe's InferenceService and InferenceGraph`);
    return 1;
  }
  if (importable.length > 1) out.error(`note: ${file} holds ${importable.length} resources to import; importing the first (a ${importable[0]!.kind}), run import once per file for the others`);
  const { kind, run: runImport } = importable[0]!;
  const result = runImport();
  if (result.graph === undefined) {
    for (const problem of result.problems) out.error(`✖ ${problem}`);
    out.error(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${file}; nothing written`);
    return 1;
  }
  const checked = checkSpec(result.graph);
  if (!checked.ok) {
    out.error(formatIssues(checked.issues, options.out ?? 'the imported graph'));
    out.error('the imported graph is not valid as it stands (above); nothing written');
    return 1;
  }
  const name = (result.graph.metadata as { name: string }).name;
  const header = [
    `# Imported from the ${kind} "${name}" (${file}) by switchyard import.`,
    '# The models keep running where they run: each unit is a remote node calling its Service.',
    ...(result.notes.length > 0 ? ['# Check:', ...result.notes.map((note) => `# - ${note}`)] : []),
  ];
  const yaml = `${header.join('\n')}\n${stringify(result.graph)}`;
  if (options.out === undefined) out.info(yaml.trimEnd());
  else {
    await writeFile(options.out, yaml);
    const count = Object.keys((result.graph.spec as { nodes: object }).nodes).length;
    out.error(`✔ wrote ${options.out}: graph "${name}" with ${count} node${count === 1 ? '' : 's'}`);
  }
  // Printed, the notes are in the graph's own comments; written to a file, they are said here too.
  if (options.out !== undefined) {
    for (const note of result.notes) out.error(`note: ${note}`);
    out.error(`next: switchyard validate ${options.out}, then switchyard up ${options.out} (or deploy)`);
  }
  return 0;
}

/** The importer for a resource, by its kind (and API group: Switchyard's own graphs are InferenceGraphs too). */
function importerOf(document: unknown): { kind: string; run: () => ImportResult } | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const { kind, apiVersion } = document as { kind?: unknown; apiVersion?: unknown };
  const kserve = typeof apiVersion === 'string' && apiVersion.startsWith('serving.kserve.io/');
  if (kind === 'SeldonDeployment') return { kind, run: () => importSeldonDeployment(document) };
  if (kind === 'InferenceService' && kserve) return { kind, run: () => importInferenceService(document as Record<string, unknown>) };
  if (kind === 'InferenceGraph' && kserve) return { kind: 'KServe InferenceGraph', run: () => importInferenceGraph(document as Record<string, unknown>) };
  return undefined;
}
