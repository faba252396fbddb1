/**
 * @module The built-in combiner contract: a pure function from the children's output tensors (in child order) to
 * one tensor. Tensors are row-major `{shape, values}` (Seldon's `data.tensor`).
 */
import type { SeldonTensor } from '../protocol/seldon-types.ts';

export type Tensor = SeldonTensor;

/**
 * Combines the children's tensors. `childNames` (same order) only make error messages name the child; without them
 * children are named by index.
 */
export type Combiner = (tensors: readonly Tensor[], childNames?: readonly string[]) => Tensor;

/** The children's outputs cannot be combined: names the child and what is wrong with its tensor. */
export class CombinerInputError extends Error {
  /** Index of the offending child (-1 when the problem is the list itself). */
  readonly child: number;

  constructor(child: number, message: string) {
    super(message);
    this.name = 'CombinerInputError';
    this.child = child;
  }
}
