/**
 * @module A ResNet-50-shaped image classifier written as ONNX with seeded weights: the real topology, not a
 * trained network (its predictions mean nothing; its cost and size are a ResNet-50's).
 *
 * Topology (He et al. 2015, torchvision's v1.5: the stride sits on each stage's first 3×3 conv): conv 7×7/2 →
 * ReLU → max pool 3×3/2 → bottleneck stages of [3, 4, 6, 3] blocks (1×1 → 3×3 → 1×1, ×4 expansion, a 1×1
 * projection on each stage's first block) → global average pool → flatten → fully connected 1000 → softmax.
 * Batch normalisation is folded into each conv's weights and bias, as an exported, optimised network has it.
 * Input `images` [N, 3, 224, 224] float32 (NCHW, ImageNet-normalised); output `probabilities` [N, 1000].
 *
 * `width` is the first stage's channel count (64 in ResNet-50; 25.6 M parameters, about 100 MB). A smaller
 * width keeps the topology and shrinks every layer (8 → about 0.7 M parameters) for tests. Weights are
 * He-uniform from a seeded generator: the same options give the same bytes.
 */
import { seededRng, type Rng } from '../../runtime/time/index.ts';
import { buildOnnxModel, type InitializerSpec, type NodeSpec } from './onnx-builder.ts';

export interface ResnetOptions {
  /** First stage's channels: 64 for ResNet-50. */
  width?: number;
  seed?: number;
  classes?: number;
  /** Input height and width (224). */
  imageSize?: number;
}

export const RESNET50_STAGES = [3, 4, 6, 3] as const;
export const RESNET_INPUT = 'images';
export const RESNET_OUTPUT = 'probabilities';

interface Builder {
  nodes: NodeSpec[];
  initializers: InitializerSpec[];
  rng: Rng;
  parameters: number;
}

/** A conv with its batch norm folded in: weights He-uniform (scaled by `gain`), a small bias. */
function conv(b: Builder, name: string, input: string, inChannels: number, outChannels: number, kernel: number, stride: number, gain = 1): string {
  const fanIn = inChannels * kernel * kernel;
  const limit = gain * Math.sqrt(6 / fanIn);
  const weights = new Float32Array(outChannels * fanIn);
  for (let i = 0; i < weights.length; i++) weights[i] = (b.rng.next() * 2 - 1) * limit;
  const bias = new Float32Array(outChannels);
  for (let i = 0; i < bias.length; i++) bias[i] = (b.rng.next() * 2 - 1) * 0.01;
  b.initializers.push({ name: `${name}.weight`, dims: [outChannels, inChannels, kernel, kernel], values: weights });
  b.initializers.push({ name: `${name}.bias`, dims: [outChannels], values: bias });
  b.parameters += weights.length + bias.length;
  const pad = Math.floor(kernel / 2);
  b.nodes.push({
    opType: 'Conv',
    name,
    inputs: [input, `${name}.weight`, `${name}.bias`],
    outputs: [name],
    intsAttributes: { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] },
  });
  return name;
}

function relu(b: Builder, input: string): string {
  const out = `${input}.relu`;
  b.nodes.push({ opType: 'Relu', name: out, inputs: [input], outputs: [out] });
  return out;
}

/** One bottleneck block; the residual branch's last conv starts small so the sum stays in range. */
function bottleneck(b: Builder, name: string, input: string, inChannels: number, planes: number, stride: number): string {
  const out = planes * 4;
  let x = relu(b, conv(b, `${name}.conv1`, input, inChannels, planes, 1, 1));
  x = relu(b, conv(b, `${name}.conv2`, x, planes, planes, 3, stride));
  x = conv(b, `${name}.conv3`, x, planes, out, 1, 1, 0.2);
  const shortcut = stride !== 1 || inChannels !== out ? conv(b, `${name}.downsample`, input, inChannels, out, 1, stride) : input;
  const sum = `${name}.add`;
  b.nodes.push({ opType: 'Add', name: sum, inputs: [x, shortcut], outputs: [sum] });
  return relu(b, sum);
}

export interface BuiltResnet {
  bytes: Uint8Array;
  parameters: number;
}

export function buildResnet50(options: ResnetOptions = {}): BuiltResnet {
  const width = options.width ?? 64;
  const classes = options.classes ?? 1000;
  const size = options.imageSize ?? 224;
  const b: Builder = { nodes: [], initializers: [], rng: seededRng(options.seed ?? 50), parameters: 0 };

  let x = relu(b, conv(b, 'stem.conv', RESNET_INPUT, 3, width, 7, 2));
  b.nodes.push({ opType: 'MaxPool', name: 'stem.pool', inputs: [x], outputs: ['stem.pool'], intsAttributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } });
  x = 'stem.pool';
  let channels = width;
  RESNET50_STAGES.forEach((blocks, stage) => {
    const planes = width * 2 ** stage;
    for (let i = 0; i < blocks; i++) {
      x = bottleneck(b, `layer${stage + 1}.${i}`, x, channels, planes, i === 0 && stage > 0 ? 2 : 1);
      channels = planes * 4;
    }
  });
  b.nodes.push({ opType: 'GlobalAveragePool', name: 'pool', inputs: [x], outputs: ['pool'] });
  b.nodes.push({ opType: 'Flatten', name: 'flatten', inputs: ['pool'], outputs: ['flatten'], intAttributes: { axis: 1 } });
  const fcLimit = Math.sqrt(6 / channels);
  const fcWeights = new Float32Array(classes * channels);
  for (let i = 0; i < fcWeights.length; i++) fcWeights[i] = (b.rng.next() * 2 - 1) * fcLimit;
  const fcBias = new Float32Array(classes);
  b.initializers.push({ name: 'fc.weight', dims: [classes, channels], values: fcWeights }, { name: 'fc.bias', dims: [classes], values: fcBias });
  b.parameters += fcWeights.length + fcBias.length;
  b.nodes.push({ opType: 'Gemm', name: 'fc', inputs: ['flatten', 'fc.weight', 'fc.bias'], outputs: ['logits'], intAttributes: { transB: 1 } });
  b.nodes.push({ opType: 'Softmax', name: 'softmax', inputs: ['logits'], outputs: [RESNET_OUTPUT], intAttributes: { axis: -1 } });

  const bytes = buildOnnxModel({
    graphName: `resnet50_w${width}`,
    docString: `ResNet-50-shaped classifier (stages ${RESNET50_STAGES.join(', ')}, width ${width}), seeded weights (seed ${options.seed ?? 50}); not trained`,
    inputs: [{ name: RESNET_INPUT, shape: ['N', 3, size, size] }],
    outputs: [{ name: RESNET_OUTPUT, shape: ['N', classes] }],
    initializers: b.initializers,
    nodes: b.nodes,
    metadata: [
      ['switchyard.model', 'resnet50'],
      ['switchyard.width', String(width)],
      ['switchyard.seed', String(options.seed ?? 50)],
    ],
  });
  return { bytes, parameters: b.parameters };
}
