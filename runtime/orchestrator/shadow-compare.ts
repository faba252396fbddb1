/**
 * @module How far a shadow's answer is from its node's, for the same input: row by row, whether both put their
 * largest value at the same place (the same class, for a classifier), and the largest absolute difference of any
 * value. A row of one value (a regression) agrees when the two values are equal to about six significant digits.
 */
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { messageToTensor } from './message-tensor.ts';

export interface AnswerComparison {
  rows: number;
  /** Rows where both answers pick the same index (or, for one value per row, the same value). */
  agreeing: number;
  maxAbsDiff: number;
}

/** Undefined when the answers cannot be compared: not numeric, or not the same shape. */
export function compareAnswers(primary: SeldonMessage, shadow: SeldonMessage): AnswerComparison | undefined {
  let a: { shape: number[]; values: number[] };
  let b: { shape: number[]; values: number[] };
  try {
    a = messageToTensor(primary, 'node');
    b = messageToTensor(shadow, 'shadow');
  } catch {
    return undefined;
  }
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]) || a.values.length !== b.values.length || a.values.length === 0) return undefined;
  const rows = a.shape.length >= 2 ? a.shape[0]! : 1;
  const width = a.values.length / rows;
  let agreeing = 0;
  let maxAbsDiff = 0;
  for (let r = 0; r < rows; r++) {
    let bestA = r * width;
    let bestB = r * width;
    for (let i = r * width; i < (r + 1) * width; i++) {
      const x = a.values[i]!;
      const y = b.values[i]!;
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
      if (x > a.values[bestA]!) bestA = i;
      if (y > b.values[bestB]!) bestB = i;
    }
    if (width === 1) {
      const x = a.values[r]!;
      const y = b.values[r]!;
      if (Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))) agreeing++;
    } else if (bestA === bestB) agreeing++;
  }
  return { rows, agreeing, maxAbsDiff };
}
