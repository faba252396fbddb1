/**
 * @module The `scaling` section: Knative's autoscaling knobs with Knative's names, meanings and ranges
 * (knative.dev/serving `pkg/apis/autoscaling`, `pkg/autoscaler/config`). Durations come out in milliseconds.
 */
import { z } from 'zod';
import { HOUR_MS, SECOND_MS, durationSchema } from './duration.ts';

/** Knative's limits (`autoscaling.WindowMin`/`WindowMax`, `PanicWindowPercentageMin`, …). */
export const KNATIVE_LIMITS = {
  windowMinMs: 6 * SECOND_MS,
  windowMaxMs: HOUR_MS,
  targetMin: 0.01,
  panicWindowPercentageMin: 1,
  panicWindowPercentageMax: 100,
  panicThresholdPercentageMin: 110,
  panicThresholdPercentageMax: 1000,
  /** Knative's default `container-concurrency-max-limit`. */
  containerConcurrencyMax: 1000,
  maxInt32: 2_147_483_647,
} as const;

const L = KNATIVE_LIMITS;

const replicas = (description: string, example: number) =>
  z.number().int().min(0).max(L.maxInt32).meta({ description, examples: [example] });

export const ScalingSchema = z
  .strictObject({
    minScale: replicas('Fewest replicas (autoscaling.knative.dev/min-scale); 0 allows scale to zero.', 0).optional(),
    maxScale: replicas('Most replicas (autoscaling.knative.dev/max-scale); 0 means unbounded.', 8).optional(),
    initialScale: replicas(
      'Replicas started when the function is created (autoscaling.knative.dev/initial-scale); 0 needs allow-zero-initial-scale on Knative.',
      1,
    ).optional(),
    target: z
      .number()
      .min(L.targetMin)
      .meta({ description: 'Soft target of concurrent requests per replica (autoscaling.knative.dev/target).', examples: [10] })
      .optional(),
    targetUtilization: z
      .number()
      .min(1)
      .max(100)
      .meta({ description: 'Percentage of `target` the autoscaler aims for (target-utilization-percentage).', examples: [70] })
      .optional(),
    containerConcurrency: z
      .number()
      .int()
      .min(0)
      .max(L.containerConcurrencyMax)
      .meta({ description: 'Hard limit of concurrent requests per replica; 0 = unlimited.', examples: [4] })
      .optional(),
    scaleToZeroGracePeriod: durationSchema({
      minMs: 0,
      exclusiveMin: true,
      maxMs: L.windowMaxMs,
      description: 'How long an idle function keeps its last replica before scaling to zero.',
      examples: ['30s'],
    }).optional(),
    stableWindow: durationSchema({
      minMs: L.windowMinMs,
      maxMs: L.windowMaxMs,
      wholeSeconds: true,
      description: 'Window over which concurrency is averaged (autoscaling.knative.dev/window).',
      examples: ['60s'],
    }).optional(),
    panicWindowPercentage: z
      .number()
      .min(L.panicWindowPercentageMin)
      .max(L.panicWindowPercentageMax)
      .meta({ description: 'Panic window as a percentage of the stable window.', examples: [10] })
      .optional(),
    panicThresholdPercentage: z
      .number()
      .min(L.panicThresholdPercentageMin)
      .max(L.panicThresholdPercentageMax)
      .meta({ description: 'Panic mode starts when concurrency exceeds this percentage of capacity.', examples: [200] })
      .optional(),
    scaleDownDelay: durationSchema({
      minMs: 0,
      maxMs: L.windowMaxMs,
      wholeSeconds: true,
      description: 'How long demand must stay low before scaling down (autoscaling.knative.dev/scale-down-delay).',
      examples: ['0s'],
    }).optional(),
  })
  .meta({ description: "Knative's autoscaling settings.", examples: [{ minScale: 0, maxScale: 8, containerConcurrency: 4 }] });

export type ScalingSpec = z.output<typeof ScalingSchema>;
