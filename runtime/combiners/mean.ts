/**
 * @module The `mean` combiner: the element-wise mean of the children's tensors (Seldon's averaging combiner, as used
 * for model ensembles). Every child's shape must equal the first child's.
 */
import { checkTensors, childLabel, shapeText } from './_tensor.ts';
import { CombinerInputError, type Combiner } from './types.ts';

export const mean: Combiner = function mean(tensors, childNames) {
  checkTensors('mean', tensors, childNames);
  const first = tensors[0]!;
  for (let i = 1; i < tensors.length; i++) {
    const shape = tensors[i]!.shape;
    if (shape.length !== first.shape.length || shape.some((d, k) => d !== first.shape[k])) {
      throw new CombinerInputError(
        i,
        `mean: ${childLabel(i, childNames)} has shape ${shapeText(shape)} but ${childLabel(0, childNames)} has ${shapeText(first.shape)}; every child must return the same shape`,
      );
    }
  }
  const n = tensors.length;
  const values = first.values.map((_, j) => {
    let sum = 0;
    for (const t of tensors) sum += t.values[j]!;
    return sum / n;
  });
  return { shape: [...first.shape], values };
};
