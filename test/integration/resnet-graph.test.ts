/**
 * The ResNet example end to end on the local engine: the image transformer, the bandit and two
 * ResNet-50-shaped models (100 MB each, generated on first use and cached in examples/resnet/models/), in
 * real processes with real onnxruntime sessions. The graph's answer is checked against running the chosen
 * model directly on the transformer's tensor.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { ensureResnetModels } from '../../scripts/models/resnet-models.ts';
import { transformInputRaw } from '../../examples/resnet/components/preprocess.ts';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
const GRAPH = path.resolve('examples/resnet/graph.yaml');
const seldonRequest = JSON.parse(await readFile('examples/resnet/requests/seldon.json', 'utf8'));
const v2Request = JSON.parse(await readFile('examples/resnet/requests/v2.json', 'utf8'));

/** The chosen model run directly (onnxruntime, default options) on the transformer's own output. */
async function expectedFor(model: string): Promise<Float32Array> {
  const tensor = transformInputRaw(seldonRequest).data!.tensor!;
  const session = await ort.InferenceSession.create(path.resolve(`examples/resnet/models/${model}.onnx`));
  try {
    const out = await session.run({ images: new ort.Tensor('float32', Float32Array.from(tensor.values), tensor.shape) });
    return out.probabilities!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('ResNet example graph on the local engine', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    await ensureResnetModels();
    graph = await startGraph(GRAPH, { engine: { env: { SWITCHYARD_TRACE_SAMPLING: '0' } } });
  }, 120_000);
  afterAll(async () => {
    await graph?.stop();
  });

  it('classifies the example PNG (Seldon binData) with the model the bandit chose', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', seldonRequest);
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    expect(body.data.tensor.shape).toEqual([1, 1000]);
    const values = body.data.tensor.values as number[];
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const arm = body.meta.routing.bandit as number;
    const model = graph.plan.nodes.bandit!.children[arm]!;
    expect(body.meta.requestPath).toEqual({ preprocess: 'preprocess', bandit: 'orchestrator', [model]: model });
    const expected = await expectedFor(model === 'resnet-a' ? 'resnet50-a' : 'resnet50-b');
    // Session settings differ (optimisation level, threads), so the floats may differ in the last bits.
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(values[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-4);
  }, 60_000);

  it('answers the Open Inference Protocol request (BYTES, base64) with FP32 probabilities', async () => {
    const { status, body } = await graph.post('/v2/models/resnet/infer', v2Request);
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    expect(body.id).toBe('resnet-1');
    expect(body.outputs[0]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [1, 1000] });
  }, 60_000);

  it('answers bytes that are not an image with a 400 naming the node and field', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { binData: Buffer.from('not an image').toString('base64') });
    expect(status).toBe(400);
    expect(body.status.status).toBe('FAILURE');
    expect(body.status.info).toContain('node "preprocess"');
    expect(body.status.info).toContain('binData: expected PNG or JPEG bytes');
  });
});
