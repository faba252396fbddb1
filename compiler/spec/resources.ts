/**
 * @module The `resources` field: Kubernetes requests (`cpu`, `memory`) and `limits`, as quantities.
 */
import { z } from 'zod';
import { quantitySchema } from './quantity.ts';

const cpu = () => quantitySchema('CPU cores, as a Kubernetes quantity.', ['500m']).optional();
const memory = () => quantitySchema('Memory in bytes, as a Kubernetes quantity.', ['256Mi']).optional();

export const ResourcesSchema = z
  .strictObject({
    cpu: cpu(),
    memory: memory(),
    limits: z.strictObject({ cpu: cpu(), memory: memory() }).meta({ description: 'Upper bounds.' }).optional(),
  })
  .meta({ description: 'Resources requested per replica; `limits` caps them.', examples: [{ cpu: '500m', memory: '256Mi' }] });

export type ResourcesSpec = z.output<typeof ResourcesSchema>;
