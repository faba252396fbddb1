/**
 * @module The `metadata` section: the graph's name (also its model name on the Open Inference Protocol) and
 * its Kubernetes namespace.
 */
import { z } from 'zod';
import { GraphNameSchema, NamespaceSchema } from './names.ts';

export const MetadataSchema = z
  .strictObject({
    name: GraphNameSchema,
    namespace: NamespaceSchema.optional(),
  })
  .meta({ description: 'Name and namespace of the graph.' });

export type MetadataSpec = z.output<typeof MetadataSchema>;
