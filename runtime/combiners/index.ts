/** @module Built-in combiners (mean, concat, majority-vote): pure functions over the children's row-major tensors. */
export { CombinerInputError, type Combiner, type Tensor } from './types.ts';
export { COMBINERS, getCombiner } from './registry.ts';
export { mean } from './mean.ts';
export { concat } from './concat.ts';
export { majorityVote } from './majority-vote.ts';
