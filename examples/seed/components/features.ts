/**
 * The seed graph's TRANSFORMER: standardizes raw iris measurements (centimetres) into the features the
 * models were trained on, `(value - mean) / std` per feature, with the training set's statistics
 * (../models/feature-stats.json, written by `npm run models`).
 *
 * Input: [N,4] rows of [sepal_length, sepal_width, petal_length, petal_width]. When the request's
 * `data.names` hold these four names in another order, the columns are reordered to match.
 */
import type { ComponentContext } from '../../../runtime/component/types.ts';
import stats from '../models/feature-stats.json' with { type: 'json' };

export const FEATURE_NAMES: readonly string[] = stats.names;
const WIDTH = FEATURE_NAMES.length;

/** A request that is not [N,4] numbers: the component wrapper answers it with a 400. */
export class FeatureInputError extends Error {
  readonly status = 400;
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'FeatureInputError';
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : String(value);
}

/** Column order: identity, or a permutation when `names` are the four feature names in another order. */
function columnOrder(names: readonly string[]): number[] {
  const identity = FEATURE_NAMES.map((_, j) => j);
  if (names.length !== WIDTH) return identity;
  const order = FEATURE_NAMES.map((name) => names.indexOf(name));
  return order.every((j) => j >= 0) ? order : identity;
}

export function transformInput(X: unknown, context?: ComponentContext): number[][] {
  if (!Array.isArray(X) || X.length === 0) {
    throw new FeatureInputError('data', `expected rows of ${WIDTH} numbers [${FEATURE_NAMES.join(', ')}] (cm), got ${describe(X)}`);
  }
  const order = columnOrder(context?.names ?? []);
  return X.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== WIDTH) {
      throw new FeatureInputError(
        `data[${i}]`,
        `expected a row of ${WIDTH} numbers [${FEATURE_NAMES.join(', ')}] (cm), got ${describe(row)}`,
      );
    }
    return order.map((src, j) => {
      const value: unknown = row[src];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new FeatureInputError(`data[${i}][${src}]`, `expected a number (${FEATURE_NAMES[j]} in cm), got ${describe(value)}`);
      }
      return (value - stats.mean[j]!) / stats.std[j]!;
    });
  });
}

export function metadata(): Record<string, unknown> {
  return { featureNames: FEATURE_NAMES, mean: stats.mean, std: stats.std };
}
