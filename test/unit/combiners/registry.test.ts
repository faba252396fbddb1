import { describe, expect, it } from 'vitest';
import { COMBINERS, concat, getCombiner, mean } from '../../../runtime/combiners/index.ts';
import { BUILTIN_COMBINERS } from '../../../runtime/plan/types.ts';

describe('combiner registry', () => {
  it('has one combiner per BuiltinCombinerName', () => {
    expect(Object.keys(COMBINERS).sort()).toEqual([...BUILTIN_COMBINERS].sort());
    expect(COMBINERS.mean).toBe(mean);
    expect(COMBINERS.concat).toBe(concat);
  });

  it('an unknown name lists the built-in combiners', () => {
    expect(getCombiner('mean')).toBe(mean);
    expect(() => getCombiner('majority-vote')).toThrow('Unknown built-in combiner "majority-vote". Built-in combiners: mean, concat');
  });
});
