/** @module The absolute source files a plan's functions are built from: ONNX models and component modules. */
import path from 'node:path';
import type { InferenceGraph } from '../spec/index.ts';
import { componentModulePath } from './resolve-implementation.ts';
import { walkGraph } from './walk.ts';
import { cachedModelFile, isModelUrl, pvcModel } from '../validate/model-download.ts';

export interface PlanSources {
  /** node name → absolute path of its .onnx file */
  models: Record<string, string>;
  /** node name → absolute path of its component module */
  components: Record<string, string>;
}

/** Resolves model and module paths against the graph file's directory, in walk order. */
export function resolveSources(graph: InferenceGraph, graphDir: string): PlanSources {
  const sources: PlanSources = { models: {}, components: {} };
  for (const name of walkGraph(graph.spec).order) {
    const node = graph.spec.nodes[name]!;
    // A model named by URL is the file it was downloaded to (compiler/validate/model-download.ts).
    // A pvc:// model stays on its claim: nothing to copy.
    if (node.onnx !== undefined && pvcModel(node.onnx.path) === undefined) sources.models[name] = isModelUrl(node.onnx.path) ? cachedModelFile(node.onnx.path) : path.resolve(graphDir, node.onnx.path);
    if (node.component !== undefined) sources.components[name] = path.resolve(graphDir, componentModulePath(node.component));
  }
  return sources;
}
