/**
 * @module The `canary` setting: on Knative, a new version of a function gets `percent` of the traffic while the
 * previous ready version keeps the rest (a Knative `spec.traffic` split; `switchyard deploy` fills in the
 * previous revision's name). 100 sends everything to the new version; 0 deploys it without traffic.
 * The local engine (`switchyard up`) runs one version and ignores it.
 */
import { z } from 'zod';

export const CanarySchema = z
  .strictObject({
    percent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .meta({ description: 'Share of traffic (0..100) for the newly deployed version; the previous ready version gets the rest.', examples: [10] }),
  })
  .meta({ description: 'Roll a new version out to a share of the traffic first (Knative traffic split).', examples: [{ percent: 10 }] });

export type CanarySpec = z.output<typeof CanarySchema>;
