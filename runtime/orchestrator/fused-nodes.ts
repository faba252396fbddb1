/**
 * @module Loads the nodes fused into the orchestrator (spec.fusion: auto): user components bundled into it,
 * and ONNX models next to its bundle under models/. The model server is imported only when a model is fused,
 * so an orchestrator without one never loads onnxruntime.
 */
import type { DeploymentPlan } from '../plan/types.ts';
import { ORCHESTRATOR_FUNCTION } from '../plan/types.ts';
import type { LoadedNode } from '../host/types.ts';
import type { Component } from '../component/types.ts';
import { loadComponentNode } from '../component/index.ts';
import type { Logger } from '../log.ts';

export async function loadFusedNodes(
  plan: DeploymentPlan,
  components: Record<string, Record<string, unknown>>,
  options: { bundleDir: string; log: Logger },
): Promise<Map<string, LoadedNode>> {
  const loaded = new Map<string, LoadedNode>();
  const orchestrator = plan.functions[ORCHESTRATOR_FUNCTION]!;
  for (const name of orchestrator.nodes) {
    const node = plan.nodes[name]!;
    const impl = node.implementation;
    if (impl.kind === 'component') {
      const module = components[name];
      if (module === undefined) throw new Error(`node "${name}" is fused into the orchestrator but its component was not bundled`);
      loaded.set(name, await loadComponentNode(module as Component, node, { log: options.log }));
    } else if (impl.kind === 'onnx') {
      const { loadOnnxNode } = await import('../model/index.ts');
      loaded.set(name, await loadOnnxNode(node, orchestrator, { bundleDir: options.bundleDir, log: (message) => options.log.info(message) }));
    }
  }
  return loaded;
}
