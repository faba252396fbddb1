import { describe, expect, it } from 'vitest';
import { COMBINERS, MESSAGE_COMBINERS, concat, getCombiner, kserveEnsemble, majorityVote, mean } from '../../../runtime/combiners/index.ts';
import { BUILTIN_COMBINERS } from '../../../runtime/plan/types.ts';

describe('combiner registry', () => {
  it('has one combiner per BuiltinCombinerName, over tensors or over messages', () => {
    expect([...Object.keys(COMBINERS), ...Object.keys(MESSAGE_COMBINERS)].sort()).toEqual([...BUILTIN_COMBINERS].sort());
    expect(MESSAGE_COMBINERS['kserve-ensemble']).toBe(kserveEnsemble);
    expect(COMBINERS.mean).toBe(mean);
    expect(COMBINERS.concat).toBe(concat);
    expect(COMBINERS['majority-vote']).toBe(majorityVote);
  });

  it('an unknown name lists the built-in combiners', () => {
    expect(getCombiner('mean')).toBe(mean);
    expect(() => getCombiner('median')).toThrow('Unknown built-in combiner "median". Built-in combiners: mean, concat, majority-vote');
  });
});
