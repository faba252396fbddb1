/**
 * @module The `concat` combiner: concatenates the children's tensors along the last axis, in child order.
 *
 * All tensors need the same rank (at least 1) and the same leading dimensions: [2, 3] and [2, 4] give [2, 7], row by
 * row.
 */
import { checkTensors, childLabel, shapeText } from './_tensor.ts';
import { CombinerInputError, type Combiner } from './types.ts';

export const concat: Combiner = function concat(tensors, childNames) {
  checkTensors('concat', tensors, childNames);
  const first = tensors[0]!;
  if (first.shape.length === 0) {
    throw new CombinerInputError(0, `concat: ${childLabel(0, childNames)} is a scalar (shape []); concat needs tensors of rank 1 or more`);
  }
  const lead = first.shape.slice(0, -1);
  for (let i = 1; i < tensors.length; i++) {
    const shape = tensors[i]!.shape;
    if (shape.length !== first.shape.length || lead.some((d, k) => d !== shape[k])) {
      throw new CombinerInputError(
        i,
        `concat: ${childLabel(i, childNames)} has shape ${shapeText(shape)} but ${childLabel(0, childNames)} has ${shapeText(first.shape)}; all dimensions but the last must match`,
      );
    }
  }
  const rows = lead.reduce((p, d) => p * d, 1);
  const widths = tensors.map((t) => t.shape[t.shape.length - 1]!);
  const width = widths.reduce((s, w) => s + w, 0);
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    tensors.forEach((t, i) => {
      const w = widths[i]!;
      for (let k = 0; k < w; k++) values.push(t.values[r * w + k]!);
    });
  }
  return { shape: [...lead, width], values };
};
