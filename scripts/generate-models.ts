/**
 * Generates the seed scenario's models (examples/seed/models: good.onnx, weak.onnx, feature-stats.json) and the
 * test fixture models (test/fixtures/models/*.onnx). Deterministic: running it twice writes identical bytes.
 *
 *   npx node scripts/generate-models.ts            # into the repository
 *   npx node scripts/generate-models.ts --out DIR  # seed models into DIR instead (fixtures are skipped)
 *   npm run models -- resnet [--width N] [--force]  # the ResNet example's models (examples/resnet/models, cached)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSeedModels } from './models/seed-models.ts';
import { writeFixtureModels } from '../test/fixtures/models/fixture-models.ts';
import { ensureResnetModels } from './models/resnet-models.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, width: { type: 'string' }, force: { type: 'boolean', default: false } },
});
if (positionals.some((p) => p !== 'resnet')) {
  console.error(`unknown model set ${positionals.filter((p) => p !== 'resnet').join(', ')}: run with no argument (seed models) or "resnet"`);
  process.exit(2);
}
if (positionals.includes('resnet')) {
  const width = values.width === undefined ? 64 : Number(values.width);
  if (!Number.isInteger(width) || width < 1) {
    console.error(`--width: expected a positive integer (64 is ResNet-50), got ${values.width}`);
    process.exit(2);
  }
  const files = await ensureResnetModels({ width, force: values.force, ...(values.out === undefined ? {} : { dir: path.resolve(values.out) }) });
  for (const f of files) {
    console.log(`${f.generated ? 'wrote' : 'cached'} ${path.relative(process.cwd(), f.file)}  ${(f.bytes / 1e6).toFixed(1)} MB${f.generated ? `  (${f.ms} ms)` : ''}`);
  }
  process.exit(0);
}
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
