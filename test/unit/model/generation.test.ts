import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { generateSeedModels, trainSeedModels } from '../../../scripts/models/seed-models.ts';
import { irisFeatures, irisLabels, irisSamples, IRIS_CLASS_NAMES } from '../../../scripts/models/iris.ts';
import { fixtureModelBytes, writeFixtureModels } from '../../fixtures/models/fixture-models.ts';
import { FIXTURES_DIR, SEED_MODELS_DIR } from './helpers.ts';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-models-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function readAll(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(path.join(dir, name)));
  return files;
}

describe('iris data', () => {
  it('has 150 samples, 50 per class, 4 features each', () => {
    const samples = irisSamples();
    expect(samples).toHaveLength(150);
    expect(IRIS_CLASS_NAMES).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const label of [0, 1, 2]) expect(irisLabels().filter((l) => l === label)).toHaveLength(50);
    expect(irisFeatures().every((row) => row.length === 4)).toBe(true);
    expect(samples[0]).toEqual({ features: [5.1, 3.5, 1.4, 0.2], label: 0, className: 'setosa' });
  });
});

describe('seed model generation', () => {
  it('is deterministic: two runs write byte-identical files', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await generateSeedModels(a);
    await generateSeedModels(b);
    const filesA = await readAll(a);
    const filesB = await readAll(b);
    expect([...filesA.keys()]).toEqual(['feature-stats.json', 'good.onnx', 'weak.onnx']);
    expect([...filesB.keys()]).toEqual([...filesA.keys()]);
    for (const [name, bytes] of filesA) expect(Buffer.compare(bytes, filesB.get(name)!), name).toBe(0);
  });

  it('the committed examples/seed/models are what the generator writes', async () => {
    const dir = await tempDir();
    await generateSeedModels(dir);
    for (const [name, bytes] of await readAll(dir)) {
      const committed = await readFile(path.join(SEED_MODELS_DIR, name));
      expect(Buffer.compare(committed, bytes), `${name} is stale: run npx node scripts/generate-models.ts`).toBe(0);
    }
  });

  it('trains a good model (≥ 90 %) and a clearly weaker one', () => {
    const { models } = trainSeedModels();
    const good = models.find((m) => m.name === 'good')!;
    const weak = models.find((m) => m.name === 'weak')!;
    expect(good.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(weak.accuracy).toBeGreaterThan(0.5);
    expect(weak.accuracy).toBeLessThan(good.accuracy - 0.2);
  });

  it('writes the feature statistics of the training data', async () => {
    const { stats } = trainSeedModels();
    expect(stats.names).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(stats.mean[0]).toBeCloseTo(5.8433, 3);
    expect(stats.std[2]).toBeCloseTo(1.7594, 3);
    const committed = JSON.parse(await readFile(path.join(SEED_MODELS_DIR, 'feature-stats.json'), 'utf8'));
    expect(committed).toEqual({ names: stats.names, mean: stats.mean, std: stats.std });
  });

  it('writes ONNX IR 7 / opset 13 models with a dynamic batch: features [N,4] → probabilities [N,3]', () => {
    const { onnx } = onnxProto;
    for (const m of trainSeedModels().models) {
      const model = onnx.ModelProto.decode(m.bytes);
      expect(Number(model.irVersion)).toBe(7);
      expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
      const graph = model.graph!;
      expect(graph.node!.map((n) => n.opType)).toEqual(['MatMul', 'Add', 'Softmax']);
      const dims = (v: onnxProto.onnx.IValueInfoProto) =>
        v.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
      expect(graph.input!.map((v) => [v.name, dims(v)])).toEqual([['features', ['N', 4]]]);
      expect(graph.output!.map((v) => [v.name, dims(v)])).toEqual([['probabilities', ['N', 3]]]);
      expect(graph.initializer!.map((t) => [t.name, t.dims!.map(Number), t.rawData!.length])).toEqual([
        ['W', [4, 3], 48],
        ['B', [3], 12],
      ]);
    }
  });
});

describe('fixture models', () => {
  it('are deterministic and match the committed files', async () => {
    const dir = await tempDir();
    await writeFixtureModels(dir);
    for (const [name, bytes] of Object.entries(fixtureModelBytes())) {
      expect(Buffer.compare(await readFile(path.join(dir, `${name}.onnx`)), Buffer.from(bytes))).toBe(0);
      expect(Buffer.compare(await readFile(path.join(FIXTURES_DIR, `${name}.onnx`)), Buffer.from(bytes)), name).toBe(0);
    }
  });
});
