/**
 * A graph that cannot be served (its model fails to load) answers gRPC with UNAVAILABLE, naming the node and
 * why, on ModelInfer and ModelMetadata; REST says the same with a 503.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { codeName, inferenceClient, type InferenceClient } from '../helpers/grpc-client.ts';

const BROKEN = path.resolve(import.meta.dirname, '../fixtures/grpc/broken.yaml');

describe('gRPC when the graph cannot be served', () => {
  let graph: RunningGraph;
  let client: InferenceClient;
  beforeAll(async () => {
    graph = await startGraph(BROKEN, { engine: { grpcPort: 0, startTimeoutMs: 10_000 } });
    client = inferenceClient(graph.engine.grpcAddress!);
  });
  afterAll(async () => {
    client?.close();
    await graph?.stop();
  });

  it('answers ModelInfer and ModelMetadata with UNAVAILABLE naming the node and the cause', async () => {
    const infer = await client.call('ModelInfer', { model_name: 'broken', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }] });
    expect(infer.ok || codeName(infer.code)).toBe('UNAVAILABLE');
    if (!infer.ok) expect(infer.details).toMatch(/node "model" .*init in .*failing-init\.ts failed: missing weights file/);
    const metadata = await client.call('ModelMetadata', { name: 'broken' });
    expect(metadata.ok || codeName(metadata.code)).toBe('UNAVAILABLE');
    if (!metadata.ok) expect(metadata.details).toMatch(/the metadata of node "model" \(function "model"\) could not be read: it answered 503: .*missing weights file/);
    const rest = await graph.post('/v2/models/broken/infer', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] });
    expect(rest.status).toBe(503);
    expect(rest.body.error).toMatch(/missing weights file/);
  });
});
