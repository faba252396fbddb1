/**
 * @module The `parameters` each built-in router takes, with their defaults. A node's `parameters` are checked
 * against these by compiler/validate and resolved (defaults filled in) by compiler/plan.
 */
import { z } from 'zod';

export const ROUTER_VALUES = ['epsilon-greedy', 'thompson-sampling', 'weighted-split'] as const;
export type RouterName = (typeof ROUTER_VALUES)[number];
export const COMBINER_VALUES = ['mean', 'concat'] as const;
export type CombinerName = (typeof COMBINER_VALUES)[number];

export const DEFAULT_EPSILON = 0.1;

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .meta({ description: 'Seed of the random generator, for reproducible choices.', examples: [42] })
  .optional();

export const ROUTER_PARAMETER_SCHEMAS = {
  'epsilon-greedy': z.strictObject({
    epsilon: z
      .number()
      .min(0)
      .max(1)
      .default(DEFAULT_EPSILON)
      .meta({ description: 'Fraction of requests sent to a random child (exploration).', examples: [0.1] }),
    seed,
  }),
  'thompson-sampling': z.strictObject({ seed }),
  'weighted-split': z.strictObject({
    weights: z
      .array(z.number().min(0))
      .min(1)
      .refine((weights) => weights.some((weight) => weight > 0), {
        error: 'expected at least one weight above 0',
        params: { code: 'out_of_range', hint: 'give at least one child a positive weight, e.g. weights: [1, 1]' },
      })
      .meta({ description: 'Relative share of requests for each child, in the order of `children`.', examples: [[80, 20]] }),
    seed,
  }),
} as const satisfies Record<RouterName, z.ZodType>;

export type RouterParameters = {
  [K in RouterName]: z.output<(typeof ROUTER_PARAMETER_SCHEMAS)[K]>;
};
