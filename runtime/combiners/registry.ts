/** @module The built-in combiners, keyed by the plan's `BuiltinCombinerName`. */
import { BUILTIN_COMBINERS, type BuiltinCombinerName } from '../plan/types.ts';
import { concat } from './concat.ts';
import { majorityVote } from './majority-vote.ts';
import { mean } from './mean.ts';
import type { Combiner } from './types.ts';

export const COMBINERS: { readonly [K in BuiltinCombinerName]: Combiner } = { mean, concat, 'majority-vote': majorityVote };

/** The combiner for `name`; throws an Error listing the built-in combiners when there is none. */
export function getCombiner(name: string): Combiner {
  if (!Object.hasOwn(COMBINERS, name)) {
    throw new Error(`Unknown built-in combiner "${name}". Built-in combiners: ${BUILTIN_COMBINERS.join(', ')}`);
  }
  return COMBINERS[name as BuiltinCombinerName];
}
