import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FeatureInputError, metadata, transformInput } from '../../../examples/seed/components/features.ts';
import stats from '../../../examples/seed/models/feature-stats.json' with { type: 'json' };
import { irisFeatures } from '../../../scripts/models/iris.ts';

const context = (names: string[] = []) => ({ names, meta: {}, parameters: {} });

function featureError(X: unknown): FeatureInputError {
  try {
    transformInput(X, context());
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(FeatureInputError);
    return err as FeatureInputError;
  }
  throw new Error('expected an error');
}

describe('seed features transformer', () => {
  it('standardizes each row with the training statistics', () => {
    const out = transformInput([[6.3, 3.3, 6.0, 2.5], stats.mean], context());
    expect(out).toHaveLength(2);
    out[0]!.forEach((v, j) => expect(v).toBeCloseTo(([6.3, 3.3, 6.0, 2.5][j]! - stats.mean[j]!) / stats.std[j]!, 12));
    expect(out[1]).toEqual([0, 0, 0, 0]);
  });

  it('gives the iris data mean 0 and std 1 per feature', () => {
    const z = transformInput(irisFeatures(), context());
    for (let j = 0; j < 4; j++) {
      const col = z.map((r) => r[j]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(mean).toBeCloseTo(0, 10);
      expect(std).toBeCloseTo(1, 10);
    }
  });

  it('reorders columns when data.names give the features in another order', () => {
    const row = [6.3, 3.3, 6.0, 2.5];
    const names = ['petal_width', 'petal_length', 'sepal_width', 'sepal_length'];
    expect(transformInput([row.slice().reverse()], context(names))).toEqual(transformInput([row], context()));
    expect(transformInput([row], context(['a', 'b', 'c', 'd']))).toEqual(transformInput([row], context()));
  });

  it('rejects rows that are not 4 numbers, naming the place', () => {
    const short = featureError([[1, 2, 3]]);
    expect(short.field).toBe('data[0]');
    expect(short.status).toBe(400);
    expect(short.message).toContain('expected a row of 4 numbers [sepal_length, sepal_width, petal_length, petal_width]');
    expect(featureError([[1, 2, 3, 4], [1, 2, '3', 4]]).message).toBe(
      'data[1][2]: expected a number (petal_length in cm), got string "3"',
    );
    expect(featureError([[1, 2, 3, 4, 5]]).field).toBe('data[0]');
    expect(featureError([1, 2, 3, 4]).field).toBe('data[0]');
    expect(featureError([]).field).toBe('data');
    expect(featureError('x').field).toBe('data');
  });

  it('exposes its statistics', () => {
    expect(FEATURE_NAMES).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(metadata()).toEqual({ featureNames: FEATURE_NAMES, mean: stats.mean, std: stats.std });
  });
});
