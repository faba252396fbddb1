/**
 * Generates the seed scenario's models (examples/seed/models: good.onnx, weak.onnx, feature-stats.json) and the
 * test fixture models (test/fixtures/models/*.onnx). Deterministic: running it twice writes identical bytes.
 *
 *   npx node scripts/generate-models.ts            # into the repository
 *   npx node scripts/generate-models.ts --out DIR  # seed models into DIR instead (fixtures are skipped)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSeedModels } from './models/seed-models.ts';
import { writeFixtureModels } from '../test/fixtures/models/fixture-models.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = path.resolve(values.out ?? path.join(repoRoot, 'examples/seed/models'));

const seed = await generateSeedModels(outDir);
for (const m of seed.models) {
  console.log(`${m.name}.onnx  training accuracy ${(m.accuracy * 100).toFixed(1)} %  (${m.description})`);
}
console.log(`feature stats: mean [${seed.stats.mean.map((v) => v.toFixed(3)).join(', ')}], std [${seed.stats.std.map((v) => v.toFixed(3)).join(', ')}]`);
for (const file of seed.files) console.log(`wrote ${path.relative(process.cwd(), file)}`);

if (values.out === undefined) {
  for (const file of await writeFixtureModels()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
