/**
 * @module The `device` field: where a function runs. A shorthand string (`nvidia-gpu`) or
 * `{kind, affinity, count}`.
 */
import { z } from 'zod';

export const DEVICE_KIND_VALUES = ['cpu', 'nvidia-gpu', 'intel-gpu', 'amd-gpu'] as const;
export const AFFINITY_VALUES = ['required', 'preferred'] as const;
export const MAX_DEVICE_COUNT = 16;

export const DeviceKindSchema = z
  .enum(DEVICE_KIND_VALUES)
  .meta({ description: 'The kind of device the function runs on.', examples: ['nvidia-gpu'] });

export const DeviceSchema = z
  .union([
    DeviceKindSchema,
    z.strictObject({
      kind: DeviceKindSchema,
      affinity: z
        .enum(AFFINITY_VALUES)
        .meta({
          description: '`required`: never run elsewhere (default); `preferred`: fall back to the CPU when the device is absent.',
          examples: ['preferred'],
        })
        .optional(),
      count: z
        .number()
        .int()
        .min(0)
        .max(MAX_DEVICE_COUNT)
        .meta({ description: 'Devices per replica (GPUs only; default 1).', examples: [1] })
        .optional(),
    }),
  ])
  .meta({ description: 'Device of the function: `cpu`, `nvidia-gpu`, … or {kind, affinity, count}.', examples: ['cpu'] });

export type DeviceSpec = z.output<typeof DeviceSchema>;
