/**
 * @module The seed scenario's two iris classifiers and the feature statistics its transformer uses.
 *
 * Both models take standardized features (`(cm - mean) / std`, the stats in feature-stats.json) as
 * `features` float32 [N,4] and answer `probabilities` float32 [N,3] (setosa, versicolor, virginica).
 * - good: all four features, trained to convergence.
 * - weak: the sepal length only (the other weights stay zero), briefly trained.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IRIS_CLASS_NAMES, IRIS_FEATURE_NAMES, irisFeatures, irisLabels } from './iris.ts';
import { buildSoftmaxClassifier } from './onnx-builder.ts';
import {
  accuracy,
  computeFeatureStats,
  standardize,
  toFloat32,
  trainSoftmaxRegression,
  type FeatureStats,
  type SoftmaxModel,
  type TrainOptions,
} from './train.ts';

export interface SeedModelRecipe {
  name: 'good' | 'weak';
  description: string;
  options: TrainOptions;
}

export const SEED_MODEL_RECIPES: readonly SeedModelRecipe[] = [
  {
    name: 'good',
    description: 'all four standardized features, 2000 full-batch gradient-descent steps (lr 0.5, L2 1e-3)',
    options: { classes: 3, epochs: 2000, learningRate: 0.5, l2: 1e-3 },
  },
  {
    name: 'weak',
    description: 'sepal length only, 100 full-batch gradient-descent steps (lr 0.05)',
    options: { classes: 3, epochs: 100, learningRate: 0.05, featureMask: [true, false, false, false] },
  },
];

export interface TrainedSeedModel {
  name: 'good' | 'weak';
  description: string;
  /** Parameters as stored in the model (float32-rounded). */
  model: SoftmaxModel;
  /** Accuracy on the 150 iris samples with the stored parameters. */
  accuracy: number;
  bytes: Uint8Array;
}

export interface SeedModels {
  stats: FeatureStats;
  models: TrainedSeedModel[];
}

/** Trains both seed models in memory (deterministic). */
export function trainSeedModels(): SeedModels {
  const raw = irisFeatures();
  const labels = irisLabels();
  const stats = computeFeatureStats(raw, [...IRIS_FEATURE_NAMES]);
  const rows = standardize(raw, stats);
  const models = SEED_MODEL_RECIPES.map((recipe): TrainedSeedModel => {
    const model = toFloat32(trainSoftmaxRegression(rows, labels, recipe.options));
    const acc = accuracy(model, rows, labels);
    const bytes = buildSoftmaxClassifier({
      graphName: `iris_${recipe.name}`,
      docString: `Iris softmax-regression classifier (${recipe.name}): ${recipe.description}. ` +
        `Input: standardized [sepal_length, sepal_width, petal_length, petal_width]; ` +
        `output: probabilities of [${IRIS_CLASS_NAMES.join(', ')}].`,
      weights: model.weights,
      bias: model.bias,
      metadata: [
        ['class_names', IRIS_CLASS_NAMES.join(',')],
        ['feature_names', IRIS_FEATURE_NAMES.join(',')],
        ['training', recipe.description],
        ['training_accuracy', acc.toFixed(4)],
      ],
    });
    return { name: recipe.name, description: recipe.description, model, accuracy: acc, bytes };
  });
  return { stats, models };
}

/** The feature-stats.json text (stable formatting, trailing newline). */
export function featureStatsJson(stats: FeatureStats): string {
  return `${JSON.stringify({ names: stats.names, mean: stats.mean, std: stats.std }, null, 2)}\n`;
}

export interface GeneratedSeedModels extends SeedModels {
  /** Absolute paths written. */
  files: string[];
}

/** Writes good.onnx, weak.onnx and feature-stats.json into `outDir` (created if missing). */
export async function generateSeedModels(outDir: string): Promise<GeneratedSeedModels> {
  const seed = trainSeedModels();
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const m of seed.models) {
    const file = path.join(outDir, `${m.name}.onnx`);
    await writeFile(file, m.bytes);
    files.push(file);
  }
  const statsFile = path.join(outDir, 'feature-stats.json');
  await writeFile(statsFile, featureStatsJson(seed.stats));
  files.push(statsFile);
  return { ...seed, files };
}
