/** Node fusion decides, from the plan alone, which nodes run inside the orchestrator. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpecFile } from '../../../compiler/plan/index.ts';
import { fusionDecisions } from '../../../compiler/plan/fuse.ts';
import type { DeploymentPlan } from '../../../runtime/plan/types.ts';

async function plan(file: string): Promise<DeploymentPlan> {
  const result = await compileSpecFile(path.resolve(file));
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.plan;
}

describe('spec.fusion', () => {
  it('is off by default: one function per node', async () => {
    const seed = await plan('examples/seed/graph.yaml');
    expect(seed.fusion).toBe('off');
    expect(Object.keys(seed.functions).sort()).toEqual(['features', 'good-model', 'orchestrator', 'weak-model']);
  });

  it('auto fuses the root transformer, which shares the orchestrator\'s device and scaling', async () => {
    const fused = await plan('test/fixtures/engine/seed-fused.yaml');
    expect(fused.fusion).toBe('auto');
    expect(fused.nodes.features!.function).toBe('orchestrator');
    expect(fused.functions.orchestrator!.nodes).toEqual(['bandit', 'features']);
    expect(fused.functions.features).toBeUndefined();
  });

  it('auto keeps models whose scaling differs from the orchestrator\'s in their own functions', async () => {
    const fused = await plan('test/fixtures/engine/seed-fused.yaml');
    expect(fused.nodes['good-model']!.function).toBe('good-model');
    expect(fused.functions['good-model']!.scaling.containerConcurrency).toBe(4);
  });

  it('auto fuses models behind a built-in router and moves their files under models/', async () => {
    const fused = await plan('test/fixtures/engine/fused-models.yaml');
    expect(Object.keys(fused.functions)).toEqual(['orchestrator']);
    expect(fused.functions.orchestrator!.nodes).toEqual(['good-model', 'split', 'weak-model']);
    const impl = fused.nodes['good-model']!.implementation;
    expect(impl.kind === 'onnx' && impl.modelFile).toBe('models/good-model.onnx');
  });

  it('says what fusion did and why the rest keeps its own function; on an unfused graph, what auto would fuse', async () => {
    const fused = fusionDecisions(await plan('test/fixtures/engine/seed-fused.yaml'));
    expect(fused.find((d) => d.node === 'features')).toEqual({ node: 'features', fused: true });
    const kept = fused.find((d) => d.node === 'good-model')!;
    expect(kept.fused).toBe(false);
    expect(kept.reason).toMatch(/^its scaling differs from the orchestrator's: containerConcurrency 4 \(orchestrator 0\), maxScale 8 \(orchestrator 0\)$/);

    const unfused = fusionDecisions(await plan('examples/seed/graph.yaml'));
    expect(Object.fromEntries(unfused.map((d) => [d.node, d.fused]))).toEqual({ features: true, 'weak-model': false, 'good-model': false });
    // The same rule decides both: what auto would fuse on the unfused plan is what it fused.
    expect(unfused.filter((d) => d.fused).map((d) => d.node)).toEqual(fused.filter((d) => d.fused).map((d) => d.node));
  });
});
