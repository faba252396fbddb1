/** Fused graphs on the local engine: fused nodes run in the orchestrator's process, and answer the same. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const seldonRequest = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));

describe('the seed graph with fusion: auto', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/seed-fused.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('runs the transformer inside the orchestrator and still names it in meta.requestPath', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', seldonRequest);
    expect(status).toBe(200);
    expect(body.data.ndarray[0]).toHaveLength(3);
    expect(body.meta.requestPath.features).toBe('orchestrator');
    expect(body.meta.requestPath.bandit).toBe('orchestrator');
    expect(graph.engine.status().functions.map((f) => f.function).sort()).toEqual(['good-model', 'orchestrator', 'weak-model']);
  });

  it('reports a fused node\'s errors naming the node, as a function would', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2, 3]] } });
    expect(status).toBe(400);
    expect(body.status.info).toMatch(/features/);
  });
});

describe('models fused behind a router', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/fused-models.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('serves both models from the orchestrator process alone', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { status, body } = await graph.post('/api/v1.0/predictions', { data: { tensor: { shape: [1, 4], values: [0.5, 0.1, 1.2, 1.0] } } });
      expect(status).toBe(200);
      expect(body.data.tensor.shape).toEqual([1, 3]);
      seen.add(Object.keys(body.meta.requestPath).find((n) => n.endsWith('model'))!);
    }
    expect([...seen].sort()).toEqual(['good-model', 'weak-model']);
    expect(graph.engine.status().functions.map((f) => f.function)).toEqual(['orchestrator']);
  });
});

describe('tracing a fused graph', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/seed-fused.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('gives the fused transformer its own span', async () => {
    const { body } = await graph.post('/api/v1.0/predictions', seldonRequest);
    const traceId = body.meta.tags['trace-id'] as string;
    let spans: Array<{ name: string; attributes?: Record<string, unknown> }> = [];
    for (let i = 0; i < 100 && !spans.some((s) => s.name.startsWith('call features')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const found = await graph.get(`/_switchyard/traces/${traceId}`);
      spans = found.status === 200 ? (found.body.spans ?? []) : [];
    }
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^call features \/transform-input/)]));
  });
});
