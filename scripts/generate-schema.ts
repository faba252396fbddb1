/**
 * @module Writes manifests/schema/inference-graph.schema.json from the zod schema of the graph file.
 * Run with `npx node scripts/generate-schema.ts`; test/unit/compiler/json-schema.test.ts fails when it is stale.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRAPH_SCHEMA_FILE, renderGraphJsonSchema } from '../compiler/spec/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, GRAPH_SCHEMA_FILE);
await writeFile(target, renderGraphJsonSchema());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
