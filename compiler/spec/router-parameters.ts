/**
 * @module The `parameters` each built-in router takes, with their defaults. A node's `parameters` are checked
 * against these by compiler/validate and resolved (defaults filled in) by compiler/plan.
 */
import { z } from 'zod';
import { fieldPathProblem } from '../../runtime/routers/field-path.ts';
import { SWITCH_OPERATORS } from '../../runtime/routers/switch.ts';

export const ROUTER_VALUES = ['epsilon-greedy', 'thompson-sampling', 'ucb1', 'weighted-split', 'switch'] as const;
export type RouterName = (typeof ROUTER_VALUES)[number];
export const COMBINER_VALUES = ['mean', 'concat', 'majority-vote', 'kserve-ensemble'] as const;
export type CombinerName = (typeof COMBINER_VALUES)[number];

export const DEFAULT_EPSILON = 0.1;

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .meta({ description: 'Seed of the random generator, for reproducible choices.', examples: [42] })
  .optional();

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const bound = z.number().meta({ description: 'A number the field is compared with.', examples: [0.5] });

/** A field path into the Seldon message that reaches the router (runtime/routers/field-path.ts). */
const fieldPath = z.string().superRefine((text, ctx) => {
  const problem = fieldPathProblem(text);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: `the path ${problem}`, input: text, params: { code: 'invalid_format', hint: 'write a path such as meta.tags.tier or data.ndarray[0][1]' } });
  }
});

const switchCase = z
  .strictObject({
    field: fieldPath.meta({ description: 'Where to look in the Seldon message that reaches the router: keys with dots, list elements as [n].', examples: ['meta.tags.tier'] }),
    child: z.string().meta({ description: 'The child that takes a request matching this case.', examples: ['big-model'] }),
    equals: scalar.meta({ description: 'Matches when the field holds exactly this value.', examples: ['gold'] }).optional(),
    notEquals: scalar.meta({ description: 'Matches when the field is absent or holds another value.', examples: ['free'] }).optional(),
    in: z.array(scalar).min(1).meta({ description: 'Matches when the field holds one of these values.', examples: [['eu', 'uk']] }).optional(),
    greaterThan: bound.optional(),
    lessThan: bound.optional(),
    atLeast: bound.optional(),
    atMost: bound.optional(),
    exists: z.boolean().meta({ description: 'true: matches when the field is present; false: when it is absent.', examples: [true] }).optional(),
  })
  .superRefine((c, ctx) => {
    const operators = SWITCH_OPERATORS.filter((op) => c[op] !== undefined);
    if (operators.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `expected exactly one operator, received ${operators.length === 0 ? 'none' : operators.join(' and ')}`,
        params: { quiet: true, code: operators.length === 0 ? 'missing_field' : 'invalid_value', hint: `give the case one of ${SWITCH_OPERATORS.join(', ')}, e.g. equals: gold` },
      });
    }
  })
  .meta({ description: 'A condition on the request and the child it sends a matching request to.', examples: [{ field: 'meta.tags.tier', equals: 'gold', child: 'big-model' }] });

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
  'thompson-sampling': z.strictObject({
    alpha: z.number().gt(0).default(1).meta({ description: "The Beta prior's pseudo-count of successes.", examples: [1] }),
    beta: z.number().gt(0).default(1).meta({ description: "The Beta prior's pseudo-count of failures.", examples: [1] }),
    seed,
  }),
  ucb1: z.strictObject({
    exploration: z
      .number()
      .min(0)
      .default(Math.SQRT2)
      .meta({ description: 'Weight of the uncertainty bonus: sqrt(2) is textbook UCB1, 0 is greedy.', examples: [1.414] }),
    seed,
  }),
  'weighted-split': z.strictObject({
    weights: z
      .array(z.number().min(0))
      .min(1)
      .refine((weights) => weights.some((weight) => weight > 0), {
        error: 'expected at least one weight above 0',
        params: { code: 'out_of_range', hint: 'give at least one child a positive weight, e.g. weights: [1, 1]' },
      })
      .meta({ description: 'Relative share of requests for each child, in the order of `children`; without it, an equal split (a random router).', examples: [[80, 20]] })
      .optional(),
    stickyBy: fieldPath
      .meta({
        description:
          'A field of the request (e.g. a user id tag): requests with the same value always go to the same child, in the weights\' proportions; changing the weights moves only the share of values it must. Requests without it are split at random.',
        examples: ['meta.tags.user'],
      })
      .optional(),
    seed,
  }),
  switch: z.strictObject({
    cases: z
      .array(switchCase)
      .min(1)
      .meta({ description: 'Conditions tried in order; the first that holds picks the child.', examples: [[{ field: 'meta.tags.tier', equals: 'gold', child: 'big-model' }]] }),
    default: z.string().meta({ description: 'The child for a request that matches no case; without it such a request is a 400.', examples: ['small-model'] }).optional(),
  }),
} as const satisfies Record<RouterName, z.ZodType>;

export type RouterParameters = {
  [K in RouterName]: z.output<(typeof ROUTER_PARAMETER_SCHEMAS)[K]>;
};
