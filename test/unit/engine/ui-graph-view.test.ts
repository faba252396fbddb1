/** What the local UI draws each node from: the plan as graphView gives it to the page. */
import { describe, expect, it } from 'vitest';
import { graphView } from '../../../runtime/engine/local/ui/routes.ts';
import { seedPlan } from '../render/seed-plan.ts';

describe('graphView', () => {
  it('gives a remote node its URL and protocol, and a batched model its batch size; other nodes neither', () => {
    const plan = seedPlan();
    const good = plan.nodes['good-model']!.implementation;
    if (good.kind !== 'onnx') throw new Error('good-model is an ONNX node');
    good.batcher = { maxBatchSize: 16, maxLatencyMs: 0 };
    plan.nodes['weak-model']!.implementation = { kind: 'remote', url: 'http://triton.models:8001', protocol: 'grpc-v2', model: 'weak', inputName: 'input-0', datatype: 'FP32' };
    const nodes = Object.fromEntries(graphView(plan).nodes.map((node) => [node.name, node]));
    expect(nodes['good-model']).toMatchObject({ implementation: 'onnx', batch: 16 });
    expect(nodes['good-model']!.remote).toBeUndefined();
    expect(nodes['weak-model']).toMatchObject({ implementation: 'remote', remote: 'http://triton.models:8001', protocol: 'grpc-v2' });
    expect(nodes['weak-model']!.batch).toBeUndefined();
    expect(nodes.bandit).not.toHaveProperty('protocol');
    expect(nodes.bandit).not.toHaveProperty('batch');
  });
});
