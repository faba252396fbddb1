/**
 * @module A tiny, deterministic ONNX model writer over `onnx-proto` (protobufjs classes for onnx.proto).
 *
 * Models are written with IR version 7 and opset 13 (what onnxruntime-node 1.30 loads). Initializers are
 * stored as little-endian raw float32 data. Nothing here reads the clock or randomness: the same arguments
 * always encode to the same bytes.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const IR_VERSION = 7;
export const OPSET_VERSION = 13;
export const PRODUCER_NAME = 'switchyard-generate-models';
export const PRODUCER_VERSION = '1';

/** A dimension: a fixed size, or a symbolic name (e.g. `N` for a dynamic batch). */
export type Dim = number | string;

export interface ValueSpec {
  name: string;
  shape: Dim[];
}

export interface InitializerSpec {
  name: string;
  dims: number[];
  /** Row-major values, stored as float32. */
  values: ArrayLike<number>;
}

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Integer attributes (e.g. Softmax `axis`). */
  intAttributes?: Record<string, number>;
  /** Integer-list attributes (e.g. Conv `kernel_shape`, `strides`, `pads`). */
  intsAttributes?: Record<string, number[]>;
}

export interface ModelSpec {
  graphName: string;
  docString?: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers?: InitializerSpec[];
  nodes: NodeSpec[];
  /** Written as the model's `metadata_props`, in the order given. */
  metadata?: Array<[string, string]>;
}

/** Little-endian float32 bytes of `values`. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function valueInfo(spec: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: spec.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function initializer(spec: InitializerSpec): onnxProto.onnx.ITensorProto {
  const expected = spec.dims.reduce((a, b) => a * b, 1);
  if (expected !== spec.values.length) {
    throw new Error(`initializer ${spec.name}: dims [${spec.dims.join(', ')}] need ${expected} values, got ${spec.values.length}`);
  }
  return {
    name: spec.name,
    dims: spec.dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: float32Bytes(spec.values),
  };
}

function node(spec: NodeSpec, index: number): onnxProto.onnx.INodeProto {
  const attribute: onnxProto.onnx.IAttributeProto[] = Object.entries(spec.intAttributes ?? {}).map(([name, i]) => ({
    name,
    type: onnx.AttributeProto.AttributeType.INT,
    i,
  }));
  for (const [name, ints] of Object.entries(spec.intsAttributes ?? {})) {
    attribute.push({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
  }
  return {
    name: spec.name ?? `${spec.opType.toLowerCase()}_${index}`,
    opType: spec.opType,
    input: spec.inputs,
    output: spec.outputs,
    ...(attribute.length > 0 ? { attribute } : {}),
  };
}

/** Encodes a model to ONNX protobuf bytes. */
export function buildOnnxModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    modelVersion: 1,
    ...(spec.docString !== undefined ? { docString: spec.docString } : {}),
    metadataProps: (spec.metadata ?? []).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: spec.nodes.map(node),
      initializer: (spec.initializers ?? []).map(initializer),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export interface SoftmaxClassifierSpec {
  graphName: string;
  docString?: string;
  /** weights[feature][class] */
  weights: number[][];
  /** bias[class] */
  bias: number[];
  inputName?: string;
  outputName?: string;
  /** Symbolic batch dimension name. */
  batchDim?: string;
  metadata?: Array<[string, string]>;
}

/** `probabilities = Softmax(features · W + B)`: input [N, F], output [N, C]. */
export function buildSoftmaxClassifier(spec: SoftmaxClassifierSpec): Uint8Array {
  const features = spec.weights.length;
  const classes = spec.bias.length;
  for (const [i, row] of spec.weights.entries()) {
    if (row.length !== classes) throw new Error(`weights[${i}] has ${row.length} columns, expected ${classes}`);
  }
  const input = spec.inputName ?? 'features';
  const output = spec.outputName ?? 'probabilities';
  const batch = spec.batchDim ?? 'N';
  return buildOnnxModel({
    graphName: spec.graphName,
    ...(spec.docString !== undefined ? { docString: spec.docString } : {}),
    ...(spec.metadata !== undefined ? { metadata: spec.metadata } : {}),
    inputs: [{ name: input, shape: [batch, features] }],
    outputs: [{ name: output, shape: [batch, classes] }],
    initializers: [
      { name: 'W', dims: [features, classes], values: spec.weights.flat() },
      { name: 'B', dims: [classes], values: spec.bias },
    ],
    nodes: [
      { opType: 'MatMul', inputs: [input, 'W'], outputs: ['logits_raw'], name: 'matmul' },
      { opType: 'Add', inputs: ['logits_raw', 'B'], outputs: ['logits'], name: 'add_bias' },
      { opType: 'Softmax', inputs: ['logits'], outputs: [output], name: 'softmax', intAttributes: { axis: -1 } },
    ],
  });
}
