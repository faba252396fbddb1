/**
 * @module A node's implementation as the run time needs it: the ONNX model (with onnxruntime's defaults), the
 * component (with the methods its module exports), a built-in router (with its parameters' defaults) or
 * combiner, or a remote server (with the protocol's defaults); and which kind of function runs it.
 */
import type { FunctionKind, Implementation } from '../../runtime/plan/types.ts';
import { ROUTER_PARAMETER_SCHEMAS } from '../spec/index.ts';
import type { ComponentSpec, NodeSpec } from '../spec/index.ts';
import { DEFAULT_BATCHER, DEFAULT_ONNX_SESSION, MODEL_FILE_NAME } from './defaults.ts';
import { downloadUrl, isModelUrl, pvcModel } from '../validate/model-download.ts';

/** The module path of a `component` as written (`./x.ts` or `{module: ./x.ts}`). */
export function componentModulePath(component: ComponentSpec): string {
  return typeof component === 'string' ? component : component.module;
}

/**
 * @param methods the component methods its module exports (found by compiler/validate)
 * @throws when the node has no implementation: planGraph takes a validated spec
 */
export function resolveImplementation(name: string, node: NodeSpec, methods: readonly string[] = []): Implementation {
  if (node.onnx !== undefined) {
    const session = node.onnx.session;
    return {
      kind: 'onnx',
      modelFile: MODEL_FILE_NAME,
      inputNames: [...(node.onnx.inputNames ?? [])],
      outputNames: [...(node.onnx.outputNames ?? [])],
      classNames: [...(node.onnx.classNames ?? [])],
      session: {
        graphOptimizationLevel: session?.graphOptimizationLevel ?? DEFAULT_ONNX_SESSION.graphOptimizationLevel,
        intraOpNumThreads: session?.intraOpNumThreads ?? DEFAULT_ONNX_SESSION.intraOpNumThreads,
        interOpNumThreads: session?.interOpNumThreads ?? DEFAULT_ONNX_SESSION.interOpNumThreads,
      },
      ...(isModelUrl(node.onnx.path) ? { source: modelSource(node.onnx) } : {}),
      ...claimOf(node.onnx.path),
      ...(node.onnx.batcher === undefined
        ? {}
        : { batcher: { maxBatchSize: node.onnx.batcher.maxBatchSize ?? DEFAULT_BATCHER.maxBatchSize, maxLatencyMs: node.onnx.batcher.maxLatency ?? DEFAULT_BATCHER.maxLatencyMs } }),
    };
  }
  if (node.component !== undefined) {
    return { kind: 'component', module: componentModulePath(node.component), methods: [...methods], parameters: { ...(node.parameters ?? {}) } };
  }
  if (node.router !== undefined) {
    const parsed = ROUTER_PARAMETER_SCHEMAS[node.router].safeParse(node.parameters ?? {});
    return { kind: 'router', router: node.router, parameters: parsed.success ? { ...parsed.data } : { ...(node.parameters ?? {}) } };
  }
  if (node.combiner !== undefined) return { kind: 'combiner', combiner: node.combiner };
  if (node.remote !== undefined) {
    const remote = node.remote;
    return {
      kind: 'remote',
      url: remote.url.replace(/\/+$/, ''),
      protocol: remote.protocol ?? 'seldon',
      model: remote.model ?? name,
      inputName: remote.inputName ?? 'input-0',
      datatype: remote.datatype ?? 'FP32',
      ...(remote.outputName === undefined ? {} : { outputName: remote.outputName }),
    };
  }
  throw new Error(`planGraph needs a validated spec: node "${name}" has no implementation`);
}

/** The kind of function that runs an implementation: built-ins run in the orchestrator; a remote node, in none. */
export function functionKindOf(implementation: Implementation): FunctionKind | undefined {
  switch (implementation.kind) {
    case 'remote':
      return undefined;
    case 'onnx':
      return 'model';
    case 'component':
      return 'component';
    case 'router':
    case 'combiner':
      return 'orchestrator';
  }
}

/** Where a model named by URL comes from, for the pod that fetches it on Kubernetes. */
function modelSource(onnx: NonNullable<NodeSpec['onnx']>): NonNullable<Extract<Implementation, { kind: 'onnx' }>['source']> {
  return {
    url: downloadUrl(onnx.path),
    ...(onnx.sha256 ? { sha256: onnx.sha256.toLowerCase() } : {}),
    ...(/^s3:\/\//i.test(onnx.path) ? { s3: true as const } : {}),
    ...(onnx.credentialsSecret ? { secret: onnx.credentialsSecret } : {}),
  };
}

/** A `pvc://<claim>/<path>` model's claim, read in the pod. */
function claimOf(modelPath: string): { claim?: { name: string; path: string } } {
  const pvc = pvcModel(modelPath);
  return pvc === undefined ? {} : { claim: { name: pvc.claim, path: pvc.path } };
}
