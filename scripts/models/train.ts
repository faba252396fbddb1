/**
 * @module Softmax regression trained by plain full-batch gradient descent: no randomness, so every run
 * produces the same weights bit for bit.
 */

export interface FeatureStats {
  names: string[];
  /** Per-feature mean of the training data. */
  mean: number[];
  /** Per-feature population standard deviation of the training data. */
  std: number[];
}

export interface SoftmaxModel {
  /** weights[feature][class] */
  weights: number[][];
  /** bias[class] */
  bias: number[];
}

export interface TrainOptions {
  classes: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
  /** Features the model may use; the others keep a zero weight. Default: all. */
  featureMask?: boolean[];
}

export function computeFeatureStats(rows: number[][], names: string[]): FeatureStats {
  const n = rows.length;
  const f = names.length;
  const mean = new Array<number>(f).fill(0);
  const std = new Array<number>(f).fill(0);
  for (const row of rows) for (let j = 0; j < f; j++) mean[j]! += row[j]!;
  for (let j = 0; j < f; j++) mean[j] = mean[j]! / n;
  for (const row of rows) for (let j = 0; j < f; j++) std[j]! += (row[j]! - mean[j]!) ** 2;
  for (let j = 0; j < f; j++) std[j] = Math.sqrt(std[j]! / n);
  return { names: names.slice(), mean, std };
}

export function standardize(rows: number[][], stats: FeatureStats): number[][] {
  return rows.map((row) => row.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!));
}

function softmaxInPlace(z: number[]): number[] {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
  }
  for (let k = 0; k < z.length; k++) z[k] = z[k]! / sum;
  return z;
}

export function predictProbabilities(model: SoftmaxModel, rows: number[][]): number[][] {
  const classes = model.bias.length;
  return rows.map((row) => {
    const z = model.bias.slice();
    for (let j = 0; j < row.length; j++) {
      for (let k = 0; k < classes; k++) z[k]! += row[j]! * model.weights[j]![k]!;
    }
    return softmaxInPlace(z);
  });
}

export function argmax(values: number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

export function accuracy(model: SoftmaxModel, rows: number[][], labels: number[]): number {
  const probs = predictProbabilities(model, rows);
  let right = 0;
  for (let i = 0; i < rows.length; i++) if (argmax(probs[i]!) === labels[i]) right++;
  return right / rows.length;
}

/** Rounds every parameter to float32, as the ONNX model stores them. */
export function toFloat32(model: SoftmaxModel): SoftmaxModel {
  return {
    weights: model.weights.map((row) => row.map((v) => Math.fround(v))),
    bias: model.bias.map((v) => Math.fround(v)),
  };
}

/** Full-batch gradient descent on the mean cross-entropy, from all-zero parameters. */
export function trainSoftmaxRegression(rows: number[][], labels: number[], options: TrainOptions): SoftmaxModel {
  const n = rows.length;
  const f = rows[0]?.length ?? 0;
  const c = options.classes;
  const l2 = options.l2 ?? 0;
  const mask = options.featureMask ?? new Array<boolean>(f).fill(true);
  const model: SoftmaxModel = {
    weights: Array.from({ length: f }, () => new Array<number>(c).fill(0)),
    bias: new Array<number>(c).fill(0),
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const gradW = Array.from({ length: f }, () => new Array<number>(c).fill(0));
    const gradB = new Array<number>(c).fill(0);
    const probs = predictProbabilities(model, rows);
    for (let i = 0; i < n; i++) {
      const p = probs[i]!;
      const row = rows[i]!;
      for (let k = 0; k < c; k++) {
        const err = p[k]! - (labels[i] === k ? 1 : 0);
        gradB[k]! += err;
        for (let j = 0; j < f; j++) gradW[j]![k]! += err * row[j]!;
      }
    }
    for (let k = 0; k < c; k++) model.bias[k] = model.bias[k]! - (options.learningRate * gradB[k]!) / n;
    for (let j = 0; j < f; j++) {
      if (!mask[j]) continue;
      for (let k = 0; k < c; k++) {
        const w = model.weights[j]![k]!;
        model.weights[j]![k] = w - options.learningRate * (gradW[j]![k]! / n + l2 * w);
      }
    }
  }
  return model;
}
