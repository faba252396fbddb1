import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { GRAPH_SCHEMA_FILE, graphJsonSchema, loadGraphFile, renderGraphJsonSchema } from '../../../compiler/spec/index.ts';
import { FIXTURES, SEED_GRAPH, baseGraph } from './_graphs.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the JSON Schema of the graph file', () => {
  it('is current (regenerate with `npx node scripts/generate-schema.ts`)', async () => {
    const committed = await readFile(path.join(ROOT, GRAPH_SCHEMA_FILE), 'utf8');
    expect(committed).toBe(renderGraphJsonSchema());
  });

  it('accepts the example graphs and rejects unknown fields and bad values', async () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(graphJsonSchema());
    for (const file of [SEED_GRAPH, path.join(FIXTURES, 'full', 'graph.yaml'), path.join(FIXTURES, 'minimal.json')]) {
      const { data } = await loadGraphFile(file);
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const typo = baseGraph();
    typo.spec.nodes.bandit!.chidlren = [];
    expect(validate(typo)).toBe(false);
    const badName = baseGraph();
    badName.spec.nodes.Bad_Name = { type: 'MODEL', component: './m.ts' };
    expect(validate(badName)).toBe(false);
    const badScale = baseGraph();
    badScale.spec.nodes['model-a']!.scaling = { panicThresholdPercentage: 50 };
    expect(validate(badScale)).toBe(false);
  });
});
