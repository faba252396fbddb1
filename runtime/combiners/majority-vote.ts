/**
 * @module The `majority-vote` combiner: an ensemble of classifiers where each child casts one vote per row, for
 * the class it scores highest (its argmax; ties go to the lowest class index).
 *
 * Every child's shape must equal the first child's, with the classes on the last axis: [N, K] scores give
 * [N, K] vote shares, each row the fraction of children that voted for each class. The majority class is the
 * row's largest share; a tie stays visible as equal shares. Names (`data.names`, class names) pass through from
 * the first child, as with `mean`.
 */
import { checkTensors, childLabel, shapeText } from './_tensor.ts';
import { CombinerInputError, type Combiner } from './types.ts';

export const majorityVote: Combiner = function majorityVote(tensors, childNames) {
  checkTensors('majority-vote', tensors, childNames);
  const first = tensors[0]!;
  if (first.shape.length === 0 || first.shape[first.shape.length - 1] === 0) {
    throw new CombinerInputError(
      0,
      `majority-vote: ${childLabel(0, childNames)} has shape ${shapeText(first.shape)}; each child must return class scores with the classes on the last axis, e.g. [1, 3]`,
    );
  }
  for (let i = 1; i < tensors.length; i++) {
    const shape = tensors[i]!.shape;
    if (shape.length !== first.shape.length || shape.some((d, k) => d !== first.shape[k])) {
      throw new CombinerInputError(
        i,
        `majority-vote: ${childLabel(i, childNames)} has shape ${shapeText(shape)} but ${childLabel(0, childNames)} has ${shapeText(first.shape)}; every child must score the same classes for the same rows`,
      );
    }
  }
  const classes = first.shape[first.shape.length - 1]!;
  const rows = first.values.length / classes;
  const votes = new Array<number>(first.values.length).fill(0);
  for (const t of tensors) {
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (t.values[r * classes + k]! > t.values[r * classes + best]!) best = k;
      votes[r * classes + best]! += 1;
    }
  }
  return { shape: [...first.shape], values: votes.map((v) => v / tensors.length) };
};
