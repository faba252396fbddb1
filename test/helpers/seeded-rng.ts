/**
 * @module Rng helpers for tests: a scripted `Rng` that returns given values, and a re-export of the seeded one.
 */
import type { Rng } from '../../runtime/time/rng.ts';

export { seededRng } from '../../runtime/time/rng.ts';

/**
 * An Rng that returns `values` in order and throws when they run out, so a test states exactly which draws a
 * decision consumes.
 */
export function scriptedRng(values: readonly number[]): Rng & { remaining(): number } {
  let i = 0;
  for (const v of values) {
    if (!(v >= 0 && v < 1)) throw new Error(`scriptedRng: every value must be in [0, 1), received ${v}`);
  }
  return {
    next() {
      if (i >= values.length) throw new Error(`scriptedRng: all ${values.length} scripted values were used`);
      return values[i++]!;
    },
    remaining: () => values.length - i,
  };
}
