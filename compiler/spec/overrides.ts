/**
 * @module What the command line may override over the graph file (`--min-scale`, `--state redis://…`), in the
 * plan's own units (milliseconds, a 0..1 utilisation), with the same ranges as the file.
 */
import { z } from 'zod';
import { SECOND_MS } from './duration.ts';
import { KNATIVE_LIMITS as L } from './scaling.ts';
import { NamespaceSchema } from './names.ts';

const replicas = z.number().int().min(0).max(L.maxInt32);
const wholeSeconds = (ms: number) => ms % SECOND_MS === 0;

export const OverridesSchema = z.strictObject({
  scaling: z
    .strictObject({
      minScale: replicas,
      maxScale: replicas,
      initialScale: replicas,
      target: z.number().min(L.targetMin),
      targetUtilization: z.number().gt(0).max(1),
      containerConcurrency: z.number().int().min(0).max(L.containerConcurrencyMax),
      scaleToZeroGracePeriodMs: z.number().gt(0).max(L.windowMaxMs),
      stableWindowMs: z.number().min(L.windowMinMs).max(L.windowMaxMs).refine(wholeSeconds, { error: 'expected whole seconds' }),
      panicWindowPercentage: z.number().min(L.panicWindowPercentageMin).max(L.panicWindowPercentageMax),
      panicThresholdPercentage: z.number().min(L.panicThresholdPercentageMin).max(L.panicThresholdPercentageMax),
      scaleDownDelayMs: z.number().min(0).max(L.windowMaxMs).refine(wholeSeconds, { error: 'expected whole seconds' }),
    })
    .partial()
    .optional(),
  state: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('memory') }),
      z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
      z.strictObject({ kind: z.literal('redis'), url: z.string().regex(/^rediss?:\/\/\S+$/, { error: 'expected a Redis URL such as "redis://localhost:6379"' }) }),
    ])
    .optional(),
  namespace: NamespaceSchema.optional(),
});
