/**
 * @module The built-in combiners, keyed by the plan's `BuiltinCombinerName`: those over the children's tensors, and
 * those over their whole messages (`kserve-ensemble`).
 */
import { BUILTIN_COMBINERS, type BuiltinCombinerName } from '../plan/types.ts';
import type { SeldonMessage } from '../protocol/seldon-types.ts';
import { concat } from './concat.ts';
import { kserveEnsemble } from './kserve-ensemble.ts';
import { majorityVote } from './majority-vote.ts';
import { mean } from './mean.ts';
import type { Combiner } from './types.ts';

/** Combiners over whole messages, by name. */
export const MESSAGE_COMBINERS = { 'kserve-ensemble': kserveEnsemble } as const satisfies Record<string, (messages: readonly SeldonMessage[], childNames: readonly string[]) => SeldonMessage>;
export type MessageCombinerName = keyof typeof MESSAGE_COMBINERS;

export const COMBINERS: { readonly [K in Exclude<BuiltinCombinerName, MessageCombinerName>]: Combiner } = { mean, concat, 'majority-vote': majorityVote };

export function isMessageCombiner(name: BuiltinCombinerName): name is MessageCombinerName {
  return Object.hasOwn(MESSAGE_COMBINERS, name);
}

/** The tensor combiner for `name`; throws an Error listing the built-in combiners when there is none. */
export function getCombiner(name: string): Combiner {
  if (!Object.hasOwn(COMBINERS, name)) {
    throw new Error(`Unknown built-in combiner "${name}". Built-in combiners: ${BUILTIN_COMBINERS.join(', ')}`);
  }
  return COMBINERS[name as keyof typeof COMBINERS];
}
