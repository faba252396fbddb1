/**
 * @module The `logger` setting (Seldon Core's and KServe's payload logger): the orchestrator POSTs payloads to `url`
 * as CloudEvents. On the graph (`spec.logger`): each request, response and feedback as clients sent and received
 * them; on a node: what the node was given and what it answered.
 */
import { z } from 'zod';

export const LOGGER_MODE_VALUES = ['all', 'request', 'response'] as const;

export const LoggerSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+\S*$/, {
        error: 'expected an http:// or https:// URL that receives CloudEvents',
      })
      .meta({
        description: 'Where the CloudEvents go: a Knative Eventing broker, a message dumper, any HTTP endpoint.',
        examples: ['http://broker-ingress.knative-eventing.svc.cluster.local/default/default'],
      }),
    mode: z
      .enum(LOGGER_MODE_VALUES)
      .meta({ description: 'request, response, or all (default: both, and on the graph its feedback too).', examples: ['all'] })
      .optional(),
  })
  .meta({
    description: 'Payload logging: POST the payloads to a URL as CloudEvents (Seldon Core\'s and KServe\'s logger).',
    examples: [{ url: 'http://message-dumper.default/', mode: 'all' }],
  });

export type LoggerSpec = z.output<typeof LoggerSchema>;
