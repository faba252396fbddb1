/**
 * `onnx.batcher` end to end: a graph compiled with the real compiler, its model function a real process running a
 * real onnxruntime session. Concurrent predictions are answered as the same model answers them one at a time, and
 * the model's spans say they ran together.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { switchGraphYaml } from '../helpers/switch-graph.ts';

const MODEL = path.resolve('examples/seed/models/good.onnx');
const ROWS = [[-0.9, 1.0, -1.3, -1.3], [0.3, -0.6, 0.5, 0.0], [1.0, 0.1, 1.2, 1.4], [-0.1, -0.8, 0.7, 0.9], [0.6, 0.3, 0.9, 1.1], [-1.1, 0.8, -1.3, -1.1]];

interface ViewSpan {
  name: string;
  attributes: Record<string, unknown>;
}

describe('onnx.batcher on a running graph', () => {
  let graph: RunningGraph;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-batcher-'));
    const file = path.join(dir, 'graph.yaml');
    await writeFile(
      file,
      switchGraphYaml('batched', 'alone', [[true, 'alone']], 'together', `    together:
      type: MODEL
      onnx: { path: ${MODEL}, batcher: { maxBatchSize: 6, maxLatency: 200ms } }
    alone:
      type: MODEL
      onnx: { path: ${MODEL} }
`),
    );
    graph = await startGraph(file);
    expect(graph.plan.nodes.together!.implementation).toMatchObject({ batcher: { maxBatchSize: 6, maxLatencyMs: 200 } });
  });
  afterAll(async () => {
    await graph?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers concurrent predictions as the model answers each alone, and traces that they ran as one batch', async () => {
    // Both functions started, so that no request waits on a cold start while the others run.
    await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[0]] } });
    await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[0]] }, meta: { tags: { alone: true } } });
    const together = await Promise.all(ROWS.map((row) => graph.post('/api/v1.0/predictions', { data: { ndarray: [row] } })));
    const alone = await Promise.all(ROWS.map((row) => graph.post('/api/v1.0/predictions', { data: { ndarray: [row] }, meta: { tags: { alone: true } } })));
    together.forEach((answer, i) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.meta.requestPath.together).toBe('together');
      (answer.body.data.ndarray[0] as number[]).forEach((v, k) => expect(v).toBeCloseTo(alone[i]!.body.data.ndarray[0][k], 6));
    });
    const batchOf = async (traceparent: string) => {
      const traceId = traceparent.split('-')[1]!;
      let attributes: Record<string, unknown> | undefined;
      await eventually('the model function\'s span with its batch', async () => {
        const answer = await graph.get(`/_switchyard/traces/${traceId}`);
        const spans = (answer.status === 200 ? answer.body.spans : []) as ViewSpan[];
        attributes = spans.find((span) => span.attributes['switchyard.batch.requests'] !== undefined)?.attributes;
        return attributes !== undefined;
      });
      return attributes!;
    };
    const batches = await Promise.all(together.map((answer) => batchOf(answer.headers.get('traceparent')!)));
    // Six requests at once with room for six rows: at least some shared a run.
    expect(Math.max(...batches.map((b) => b['switchyard.batch.requests'] as number))).toBeGreaterThan(1);
    for (const batch of batches) expect(batch['switchyard.batch.rows']).toBe(batch['switchyard.batch.requests']);
    // The model function counts its runs: fewer runs than requests.
    const metrics = (await graph.get('/_fn/together/metrics')).body as string;
    const counter = (name: string) => Number(new RegExp(`^${name}\\{node="together"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(counter('switchyard_model_batch_requests_total')).toBe(ROWS.length + 1);
    expect(counter('switchyard_model_batch_rows_total')).toBe(ROWS.length + 1);
    expect(counter('switchyard_model_batch_runs_total')).toBeLessThan(ROWS.length + 1);
  });
});
