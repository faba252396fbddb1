/**
 * @module Built-in combiners: mean, concat and majority-vote, pure functions over the children's row-major tensors;
 * kserve-ensemble, over their whole messages.
 */
export { CombinerInputError, type Combiner, type Tensor } from './types.ts';
export { COMBINERS, MESSAGE_COMBINERS, getCombiner, isMessageCombiner } from './registry.ts';
export { kserveEnsemble } from './kserve-ensemble.ts';
export { mean } from './mean.ts';
export { concat } from './concat.ts';
export { majorityVote } from './majority-vote.ts';
