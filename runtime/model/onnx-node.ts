/**
 * @module An ONNX model node: an onnxruntime session behind Seldon's `predict`, with V2 metadata.
 *
 * The request's `data.ndarray` or `data.tensor` is checked against the model's input (rank, fixed
 * dimensions, numbers only), fed as the input tensor, and the first output comes back in the request's form
 * with `data.names` = the node's class names (or t:0, t:1, …). `meta` is passed through.
 *
 * With `onnx.batcher`, concurrent requests run as one batch (batcher.ts); each request's span then says how many
 * requests and rows its run had (`switchyard.batch.requests`, `switchyard.batch.rows`), and the function's
 * /metrics counts runs, requests and rows (`switchyard_model_batch_{runs,requests,rows}_total`).
 */
import * as ort from 'onnxruntime-node';
import { trace } from '@opentelemetry/api';
import { createBatcher, type BatchedOutput, type RunOutput } from './batcher.ts';
import type { LoadedNode, NodeHandlers, NodeMetadata } from '../host/types.ts';
import type { PlanFunction, PlanNode } from '../plan/types.ts';
import type { SeldonFeedback, SeldonMessage, SeldonMetric } from '../protocol/seldon-types.ts';
import { decodeSeldonData, encodeSeldonData, type ExpectedInput } from './codec.ts';
import { ModelClosedError, ModelInputError, ModelLoadError } from './errors.ts';
import type { SupportedBackend } from './execution-providers.ts';
import { declaredShape, toTensorMetadata } from './metadata.ts';
import { createOnnxSession } from './session.ts';
import { modelPathOf } from './model-path.ts';
import { isTypedValues } from '../protocol/packed-values.ts';

export interface LoadOnnxNodeOptions {
  /** The function's bundle directory: `implementation.modelFile` is relative to it (./model-path.ts). */
  bundleDir: string;
  /** Where the claims of `pvc://` models are mounted (default ./model-path.ts CLAIMS_DIR). */
  claimsDir?: string;
  log?: (msg: string) => void;
  /** The backends this onnxruntime build supports; default `ort.listSupportedBackends()` (tests pass a fake). */
  supportedBackends?: readonly SupportedBackend[];
}

type FeedType = 'float32' | 'float64';
const FEED_TYPES: readonly string[] = ['float32', 'float64'];
const NON_NUMERIC: readonly string[] = ['string', 'bool'];

function metadataOf(list: readonly ort.InferenceSession.ValueMetadata[] | undefined, name: string) {
  return list?.find((m) => m.name === name);
}

/** onnxruntime's own complaints about a fed tensor's shape are the caller's fault. */
function isShapeComplaint(message: string): boolean {
  return /invalid (dimensions|rank)|dimension.*(mismatch|expected)|shape mismatch/i.test(message);
}

/** Loads the node's model and answers its handlers. */
export async function loadOnnxNode(node: PlanNode, fn: PlanFunction, options: LoadOnnxNodeOptions): Promise<LoadedNode> {
  const impl = node.implementation;
  if (impl.kind !== 'onnx') {
    throw new ModelLoadError(`node "${node.name}" is implemented by a ${impl.kind}, not an ONNX model`);
  }
  const label = `node "${node.name}"`;
  const modelPath = modelPathOf(impl, options.bundleDir, options.claimsDir);
  const supportedBackends = options.supportedBackends ?? ort.listSupportedBackends();
  const created = await createOnnxSession(modelPath, impl.session, fn.device, {
    supportedBackends,
    label,
    ...(options.log ? { log: options.log } : {}),
  });
  const session = created.session;

  let resolved: ReturnType<typeof resolveIo>;
  try {
    resolved = resolveIo(session, impl, label);
  } catch (err) {
    await session.release();
    throw err;
  }
  const { inputName, feedType, expected, outputNames, names } = resolved;
  const outputName = outputNames[0]!;
  options.log?.(
    `${label}: loaded ${impl.claim === undefined ? impl.modelFile : `pvc://${impl.claim.name}/${impl.claim.path}`} on [${created.executionProviders.join(', ')}]; ` +
      `input ${inputName} ${JSON.stringify(expected.shape)}, output ${outputName}`,
  );

  const metadata: NodeMetadata = {
    name: node.name,
    platform: 'onnxruntime',
    inputs: [toTensorMetadata(inputName, metadataOf(session.inputMetadata, inputName))],
    outputs: outputNames.map((n) => toTensorMetadata(n, metadataOf(session.outputMetadata, n))),
    custom: {
      modelFile: impl.modelFile,
      classNames: impl.classNames.slice(),
      executionProviders: created.executionProviders.slice(),
      device: fn.device.kind,
      fellBackToCpu: created.fellBack,
    },
  };

  let closed = false;
  let closing: Promise<void> | undefined;
  /** Where the batcher's counts go: the host's /metrics. */
  let metricsSink: ((metrics: SeldonMetric[]) => void) | undefined;

  const run = async (values: Float32Array | Float64Array, shape: number[]): Promise<RunOutput> => {
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run({ [inputName]: new ort.Tensor(feedType, values, shape) }, [outputName]);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (isShapeComplaint(text)) throw new ModelInputError('data', `the model rejected shape [${shape.join(',')}]: ${text}`);
      throw err;
    }
    const out = results[outputName]!;
    return { dims: out.dims.map(Number), data: out.data as RunOutput['data'] };
  };
  const batcher =
    impl.batcher === undefined
      ? undefined
      : createBatcher<Float32Array | Float64Array>({
          maxBatchSize: impl.batcher.maxBatchSize,
          maxLatencyMs: impl.batcher.maxLatencyMs,
          run,
          allocate: (length) => (feedType === 'float64' ? new Float64Array(length) : new Float32Array(length)),
          warn: (message) => options.log?.(`${label}: onnx.batcher: ${message}`),
          onRun: (requests, rows) =>
            metricsSink?.([
              { key: 'switchyard_model_batch_runs_total', type: 'COUNTER', value: 1, tags: { node: node.name } },
              { key: 'switchyard_model_batch_requests_total', type: 'COUNTER', value: requests, tags: { node: node.name } },
              { key: 'switchyard_model_batch_rows_total', type: 'COUNTER', value: rows, tags: { node: node.name } },
            ]),
        });
  if (impl.batcher !== undefined) {
    const first = expected.shape?.[0];
    if (typeof first === 'number' && first >= 0) {
      await session.release();
      throw new ModelLoadError(`${label}: onnx.batcher joins requests along the input's first dimension, but "${inputName}" has it fixed at ${first}; export the model with a dynamic first (batch) dimension, or remove onnx.batcher`);
    }
    options.log?.(`${label}: batching up to ${impl.batcher.maxBatchSize} rows, waiting at most ${impl.batcher.maxLatencyMs} ms`);
  }

  const handlers: NodeHandlers = {
    async predict(message: SeldonMessage): Promise<SeldonMessage> {
      if (closed) throw new ModelClosedError(node.name);
      const input = decodeSeldonData(message, expected);
      const data = feedType === 'float64' ? asFloat64(input.values) : asFloat32(input.values);
      let out: RunOutput;
      try {
        if (batcher === undefined) {
          out = await run(data, input.shape);
        } else {
          const batched: BatchedOutput = await batcher.run(data, input.shape);
          trace.getActiveSpan()?.setAttributes({ 'switchyard.batch.requests': batched.requests, 'switchyard.batch.rows': batched.rows });
          out = batched.output;
        }
      } catch (err) {
        // The run knows the shape onnxruntime refused, not which form the request used.
        if (err instanceof ModelInputError && err.field === 'data') throw new ModelInputError(`data.${input.form}`, err.message.slice('data: '.length));
        throw err;
      }
      const shape = [...out.dims];
      // Float outputs stay typed arrays: packed for the orchestrator as they are, JSON arrays for anyone else.
      const values = isTypedValues(out.data) ? out.data : Array.from(out.data as ArrayLike<number | bigint>, Number);
      const lastDim = shape.length > 0 ? shape[shape.length - 1]! : values.length;
      const answer: SeldonMessage = {
        data: encodeSeldonData(input.form, shape, values, names ?? Array.from({ length: lastDim }, (_, i) => `t:${i}`)),
      };
      if (message.meta !== undefined) answer.meta = { ...message.meta };
      return answer;
    },

    async sendFeedback(feedback: SeldonFeedback): Promise<SeldonMessage> {
      const answer: SeldonMessage = { status: { code: 200, info: 'feedback accepted', reason: 'OK', status: 'SUCCESS' } };
      const meta = feedback.response?.meta ?? feedback.request?.meta;
      if (meta?.puid !== undefined) answer.meta = { puid: meta.puid };
      return answer;
    },

    async metadata(): Promise<NodeMetadata> {
      return metadata;
    },

    async health(): Promise<boolean> {
      return !closed;
    },
  };

  return {
    name: node.name,
    handlers,
    setMetricsSink(sink) {
      metricsSink = sink;
    },
    close(): Promise<void> {
      closed = true;
      batcher?.flush();
      closing ??= session.release();
      return closing;
    },
  };
}

/** The input to feed, the outputs to return and the class names, checked against the session. */
function resolveIo(
  session: ort.InferenceSession,
  impl: Extract<PlanNode['implementation'], { kind: 'onnx' }>,
  label: string,
): { inputName: string; feedType: FeedType; expected: ExpectedInput; outputNames: string[]; names: string[] | null } {
  const inputs = impl.inputNames.length > 0 ? impl.inputNames : session.inputNames;
  if (inputs.length !== 1) {
    throw new ModelLoadError(
      `${label}: the model server feeds exactly one input tensor, but ${impl.inputNames.length > 0 ? 'the plan names' : 'the model has'} ${inputs.length} (${inputs.join(', ')}); name the one to feed in inputNames`,
    );
  }
  const inputName = inputs[0]!;
  if (!session.inputNames.includes(inputName)) {
    throw new ModelLoadError(`${label}: the model has no input "${inputName}" (it has: ${session.inputNames.join(', ')})`);
  }
  const inMeta = metadataOf(session.inputMetadata, inputName);
  let feedType: FeedType = 'float32';
  if (inMeta?.isTensor) {
    if (!FEED_TYPES.includes(inMeta.type)) {
      throw new ModelLoadError(`${label}: input "${inputName}" is ${inMeta.type}; the model server feeds float32 or float64 tensors`);
    }
    feedType = inMeta.type as FeedType;
  } else if (inMeta && !inMeta.isTensor) {
    throw new ModelLoadError(`${label}: input "${inputName}" is not a tensor`);
  }

  const outputNames = impl.outputNames.length > 0 ? impl.outputNames.slice() : session.outputNames.slice();
  if (outputNames.length === 0) throw new ModelLoadError(`${label}: the model has no outputs`);
  for (const name of outputNames) {
    if (!session.outputNames.includes(name)) {
      throw new ModelLoadError(`${label}: the model has no output "${name}" (it has: ${session.outputNames.join(', ')})`);
    }
  }
  const outMeta = metadataOf(session.outputMetadata, outputNames[0]!);
  if (outMeta && (!outMeta.isTensor || NON_NUMERIC.includes(outMeta.type))) {
    throw new ModelLoadError(
      `${label}: output "${outputNames[0]}" is ${outMeta.isTensor ? `a ${outMeta.type} tensor` : 'not a tensor'}; list a numeric output first in outputNames`,
    );
  }
  const classCount = outMeta?.isTensor ? outMeta.shape[outMeta.shape.length - 1] : undefined;
  if (impl.classNames.length > 0 && typeof classCount === 'number' && classCount >= 0 && classCount !== impl.classNames.length) {
    throw new ModelLoadError(
      `${label}: ${impl.classNames.length} classNames (${impl.classNames.join(', ')}) but output "${outputNames[0]}" has ${classCount} columns`,
    );
  }
  return {
    inputName,
    feedType,
    expected: { name: inputName, shape: declaredShape(inMeta) },
    outputNames,
    names: impl.classNames.length > 0 ? impl.classNames.slice() : null,
  };
}

/** The values as the Float32Array onnxruntime is fed: the same memory when they are one already. */
function asFloat32(values: ArrayLike<number>): Float32Array {
  return values instanceof Float32Array ? new Float32Array(values.buffer, values.byteOffset, values.length) : Float32Array.from(values);
}

function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? new Float64Array(values.buffer, values.byteOffset, values.length) : Float64Array.from(values);
}
