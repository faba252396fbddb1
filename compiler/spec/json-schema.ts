/**
 * @module The JSON Schema of the graph file, generated from the zod schema (for editors and other tools);
 * committed as manifests/schema/inference-graph.schema.json by scripts/generate-schema.ts.
 */
import { z } from 'zod';
import { InferenceGraphSchema } from './graph.ts';
import { DNS_1035_LABEL, MAX_LABEL_LENGTH } from './names.ts';

export const GRAPH_SCHEMA_FILE = 'manifests/schema/inference-graph.schema.json';
export const GRAPH_SCHEMA_ID = 'https://switchyard.dev/schemas/inference-graph.schema.json';

/** The JSON Schema (draft 2020-12) of what may be written in a graph file. */
export function graphJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(InferenceGraphSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  // Node names are checked by compiler/validate (so that a bad name does not hide its node's own problems);
  // tell editors about the rule too.
  const spec = (schema.properties as Record<string, { properties: Record<string, Record<string, unknown>> }>).spec!;
  spec.properties.nodes!.propertyNames = { pattern: DNS_1035_LABEL.source, maxLength: MAX_LABEL_LENGTH };
  return { $schema: schema.$schema, $id: GRAPH_SCHEMA_ID, ...schema };
}

/** The schema file's exact text. */
export function renderGraphJsonSchema(): string {
  return `${JSON.stringify(graphJsonSchema(), null, 2)}\n`;
}
