/** Build time never reaches run time: every function bundle of the seed graph is checked on its metafile. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundaryViolations, bundleFunctions } from '../../../compiler/bundle/index.ts';
import { compileSpecFile } from '../../../compiler/plan/index.ts';

describe('boundaryViolations', () => {
  it.each([
    { name: 'compiler source', input: 'compiler/plan/plan-graph.ts', bad: true },
    { name: 'esbuild', input: 'node_modules/esbuild/lib/main.js', bad: true },
    { name: 'the Kubernetes client', input: 'node_modules/@kubernetes/client-node/dist/index.js', bad: true },
    { name: 'yaml', input: 'node_modules/yaml/dist/index.js', bad: true },
    { name: 'runtime source', input: 'runtime/orchestrator/walker.ts', bad: false },
    { name: 'hono', input: 'node_modules/hono/dist/index.js', bad: false },
  ])('$name', ({ input, bad }) => {
    expect(boundaryViolations([input])).toEqual(bad ? [input] : []);
  });
});

describe('the seed graph\'s bundles', () => {
  it('contain runtime code and no build-time code', async () => {
    const compiled = await compileSpecFile(path.resolve('examples/seed/graph.yaml'));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bundle-'));
    try {
      const bundles = await bundleFunctions({ plan: compiled.plan, sources: compiled.sources, outDir });
      expect(bundles.map((b) => b.function).sort()).toEqual(['features', 'good-model', 'orchestrator', 'weak-model']);
      for (const bundle of bundles) {
        expect(boundaryViolations(bundle.inputs), bundle.function).toEqual([]);
        expect(bundle.inputs.some((input) => input.startsWith('runtime/')), bundle.function).toBe(true);
        expect(bundle.inputs.some((input) => input.includes('onnxruntime-node')), `${bundle.function} bundles the native addon`).toBe(false);
      }
      const features = bundles.find((b) => b.function === 'features')!;
      expect(features.inputs).toContain('examples/seed/components/features.ts');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
