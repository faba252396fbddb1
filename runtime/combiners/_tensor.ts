/** Shared checks for combiner inputs. */
import { CombinerInputError, type Tensor } from './types.ts';

export function childLabel(i: number, childNames?: readonly string[]): string {
  const name = childNames?.[i];
  return name !== undefined ? `child "${name}" (index ${i})` : `child ${i}`;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless there is at least one tensor and each is well formed (integer dims, values.length = product). */
export function checkTensors(combiner: string, tensors: readonly Tensor[], childNames?: readonly string[]): void {
  if (tensors.length === 0) throw new CombinerInputError(-1, `${combiner}: no child outputs to combine`);
  tensors.forEach((t, i) => {
    const who = childLabel(i, childNames);
    if (!t || !Array.isArray(t.shape) || !Array.isArray(t.values)) {
      throw new CombinerInputError(i, `${combiner}: ${who} did not return a tensor {shape, values}`);
    }
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new CombinerInputError(i, `${combiner}: ${who} has an invalid shape ${shapeText(t.shape)}; dimensions are non-negative integers`);
    }
    const size = t.shape.reduce((p, d) => p * d, 1);
    if (t.values.length !== size) {
      throw new CombinerInputError(
        i,
        `${combiner}: ${who} has shape ${shapeText(t.shape)} (${size} values) but ${t.values.length} values`,
      );
    }
    const bad = t.values.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) {
      throw new CombinerInputError(i, `${combiner}: ${who} has a non-numeric value at position ${bad}: ${JSON.stringify(t.values[bad])}`);
    }
  });
}
