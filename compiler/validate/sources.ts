/**
 * @module Checks on the files a graph names, relative to the graph file's directory: ONNX models exist, and
 * component modules exist, build, and export the method their node type needs (or its `*Raw` variant).
 * A module with a default export is given the benefit of the doubt (the runtime reads methods from it too).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Component, REQUIRED_METHOD } from '../../runtime/component/types.ts';
import { fieldLabel, SHA256_PATTERN, specIssue } from '../spec/index.ts';
import type { IssuePath, SpecIssue } from '../spec/index.ts';
import { asString, at, isRecord, rawNodes } from './_raw.ts';
import type { RawRecord } from './_raw.ts';
import { moduleExports } from './component-exports.ts';
import { downloadModel, isModelUrl, pvcModel, sha256OfFile, unsupportedModelScheme } from './model-download.ts';
import { nodeType } from './node-rules.ts';

/** The method each node type needs (mirrors runtime/component's REQUIRED_METHOD; the type keeps them equal). */
export const REQUIRED_COMPONENT_METHOD: typeof REQUIRED_METHOD = {
  MODEL: 'predict',
  TRANSFORMER: 'transformInput',
  OUTPUT_TRANSFORMER: 'transformOutput',
  COMBINER: 'aggregate',
  ROUTER: 'route',
};

/** Every method a component may export (the keys of runtime/component's `Component`). */
export const COMPONENT_METHODS = [
  'aggregate',
  'aggregateRaw',
  'classNames',
  'health',
  'init',
  'metadata',
  'metrics',
  'predict',
  'predictRaw',
  'route',
  'sendFeedback',
  'tags',
  'transformInput',
  'transformInputRaw',
  'transformOutput',
  'transformOutputRaw',
] as const satisfies ReadonlyArray<keyof Component>;

type AssertNever<T extends never> = T;
/** Fails to type-check when `Component` gains a method that COMPONENT_METHODS does not list. */
export type AllComponentMethodsListed = AssertNever<Exclude<keyof Component, (typeof COMPONENT_METHODS)[number]>>;

export interface SourceCheck {
  issues: SpecIssue[];
  /** Component methods each component node's module exports, sorted. */
  componentMethods: Record<string, string[]>;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The module path of a node's `component` and where it is written, if it is well formed. */
export function componentModule(node: RawRecord): { module: string; path: IssuePath } | undefined {
  const component = node.component;
  if (typeof component === 'string' && component !== '') return { module: component, path: ['component'] };
  const module = asString(at(component, 'module'));
  return module === undefined || module === '' ? undefined : { module, path: ['component', 'module'] };
}

async function checkModel(name: string, node: RawRecord, graphDir: string, log: ((line: string) => void) | undefined): Promise<SpecIssue[]> {
  const modelPath = asString(at(node, 'onnx', 'path'));
  if (modelPath === undefined || modelPath === '') return [];
  const at_ = ['spec', 'nodes', name, 'onnx', 'path'];
  const declared = asString(at(node, 'onnx', 'sha256'));
  const sha256 = declared !== undefined && SHA256_PATTERN.test(declared) ? declared : undefined;
  const scheme = unsupportedModelScheme(modelPath);
  if (scheme !== undefined) {
    return [specIssue('invalid_format', at_, `${fieldLabel(at_)}: ${scheme}:// is not a scheme Switchyard downloads models from`,
      'write a file next to the graph, an http(s), s3:// or gs:// URL of the .onnx file, or pvc://<claim>/<path> on Kubernetes', modelPath)];
  }
  const pvc = pvcModel(modelPath);
  if (pvc !== undefined) return checkPvcModel(name, modelPath, pvc, declared);
  if (isModelUrl(modelPath)) {
    const download = await downloadModel(modelPath, { ...(sha256 ? { sha256 } : {}), ...(log ? { log } : {}) });
    return download.ok ? [] : [specIssue('model_download_failed', at_, `${fieldLabel(at_)}: ${download.problem}`, download.hint, modelPath)];
  }
  const file = path.resolve(graphDir, modelPath);
  if (!(await isFile(file))) {
    return [specIssue('model_file_missing', at_, `${fieldLabel(at_)}: no file at ${modelPath} (relative to the graph file)`,
      'write the path of the .onnx file relative to the directory of the graph file, or an http(s) URL to download it from', modelPath)];
  }
  if (sha256 === undefined) return [];
  const actual = await sha256OfFile(file);
  if (actual === sha256.toLowerCase()) return [];
  const shaAt = ['spec', 'nodes', name, 'onnx', 'sha256'];
  return [specIssue('model_checksum_mismatch', shaAt, `${fieldLabel(shaAt)}: ${modelPath} has sha256 ${actual}, not ${sha256}`,
    'the file changed: check it is the model you meant, or update onnx.sha256', declared)];
}

/** A `pvc://<claim>/<path>` model: read in the pod, so only its form can be checked here. */
function checkPvcModel(name: string, modelPath: string, pvc: { claim: string; path: string }, sha256: string | undefined): SpecIssue[] {
  const at_ = ['spec', 'nodes', name, 'onnx', 'path'];
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(pvc.claim) || pvc.claim.length > 253) {
    return [specIssue('invalid_format', at_, `${fieldLabel(at_)}: "${pvc.claim}" is not the name of a PersistentVolumeClaim`,
      'write pvc://<claim>/<path of the .onnx file in it>, the claim named as kubectl get pvc shows it', modelPath)];
  }
  if (pvc.path === '' || pvc.path.endsWith('/') || pvc.path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
    return [specIssue('invalid_format', at_, `${fieldLabel(at_)}: ${modelPath} does not name a file in the claim`,
      `write pvc://${pvc.claim}/<path of the .onnx file in the claim>, e.g. pvc://${pvc.claim}/iris/model.onnx`, modelPath)];
  }
  if (sha256 === undefined) return [];
  const shaAt = ['spec', 'nodes', name, 'onnx', 'sha256'];
  return [specIssue('invalid_value', shaAt, `${fieldLabel(shaAt)}: a pvc:// model is read in the pod, so its sha256 cannot be checked when the graph is built`,
    'remove onnx.sha256, or name the model by file or URL', sha256)];
}

async function checkComponent(name: string, node: RawRecord, graphDir: string, methods: Record<string, string[]>): Promise<SpecIssue[]> {
  const found = componentModule(node);
  if (found === undefined) return [];
  const issuePath = ['spec', 'nodes', name, ...found.path];
  const file = path.resolve(graphDir, found.module);
  if (!(await isFile(file))) {
    return [specIssue('component_missing', issuePath, `${fieldLabel(issuePath)}: no file at ${found.module} (relative to the graph file)`,
      'write the path of the TypeScript module relative to the directory of the graph file', found.module)];
  }
  const built = await moduleExports(file, graphDir);
  if (!built.ok) {
    return [specIssue('component_build_failed', issuePath, `${fieldLabel(issuePath)}: ${found.module} does not build: ${built.error}`,
      'fix the error in the module', found.module)];
  }
  const known = new Set<string>(COMPONENT_METHODS);
  methods[name] = built.exports.filter((e) => known.has(e));
  const type = nodeType(node);
  if (type === undefined) return [];
  const needed = REQUIRED_COMPONENT_METHOD[type];
  const accepted = [needed, `${needed}Raw`].filter((m) => known.has(m));
  if (accepted.some((m) => built.exports.includes(m))) return [];
  // The runtime also takes methods from a default export (an object or a class), which the metafile cannot
  // see into: leave that module to the runtime's own check.
  if (built.exports.includes('default')) return [];
  const exported = built.exports.length === 0 ? 'nothing' : built.exports.join(', ');
  return [
    specIssue('component_method_missing', issuePath,
      `${fieldLabel(issuePath)}: ${found.module} does not export ${needed}, which a ${type} needs (it exports ${exported})`,
      `export function ${needed}(…) from ${found.module}${accepted.length > 1 ? ` (or ${accepted[1]})` : ''}`, found.module),
  ];
}

/**
 * Checks every model file and component module named in the raw data; models named by URL are downloaded
 * (model-download.ts), with progress through `log`.
 */
export async function checkSources(data: unknown, graphDir: string, log?: (line: string) => void): Promise<SourceCheck> {
  const componentMethods: Record<string, string[]> = {};
  const perNode = await Promise.all(
    rawNodes(data).map(async ([name, node]) =>
      isRecord(node) ? [...(await checkModel(name, node, graphDir, log)), ...(await checkComponent(name, node, graphDir, componentMethods))] : [],
    ),
  );
  const ordered: Record<string, string[]> = {};
  for (const [name] of rawNodes(data)) if (componentMethods[name] !== undefined) ordered[name] = componentMethods[name];
  return { issues: perNode.flat(), componentMethods: ordered };
}
