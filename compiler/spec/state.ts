/**
 * @module The `state` section: where built-in routers keep their state (bandit statistics) so that it survives
 * scale to zero and is shared by replicas.
 */
import { z } from 'zod';

export const STATE_STORE_VALUES = ['memory', 'file', 'redis'] as const;

export const StateSchema = z
  .discriminatedUnion('store', [
    z.strictObject({ store: z.literal('memory').meta({ description: 'Kept in the orchestrator process only.' }) }),
    z.strictObject({
      store: z.literal('file').meta({ description: 'A JSON file (the default).' }),
      path: z
        .string()
        .min(1)
        .meta({
          description: 'The state file, relative to the graph file (default: .switchyard/state/<graph>.json).',
          examples: ['.switchyard/state/seed.json'],
        })
        .optional(),
    }),
    z.strictObject({
      store: z.literal('redis').meta({ description: 'A Redis server shared by all replicas.' }),
      url: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, { error: 'expected a Redis URL such as "redis://localhost:6379"' })
        .meta({ description: 'The Redis server.', examples: ['redis://localhost:6379'] }),
    }),
  ])
  .meta({
    description: 'Where router state is kept: memory, file (default) or redis.',
    examples: [{ store: 'redis', url: 'redis://localhost:6379' }],
  });

export type StateSpec = z.output<typeof StateSchema>;
