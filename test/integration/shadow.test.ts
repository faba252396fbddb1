/**
 * Shadows on a real graph (local engine, real ONNX models and components): each gets a copy of its node's input in
 * the background; the client's answer is the node's alone, never waits for a shadow and never sees one fail; each
 * shadow walk is traced, counted in the orchestrator's metrics, and a failing one is reported in the log.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { statusCommand } from '../../compiler/cli/commands/status.ts';

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];

interface ViewSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status: string;
  statusMessage?: string;
}

describe('shadows (a node\'s shadow gets a copy of its input)', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/shadow.yaml'));
  });
  afterAll(async () => graph?.stop());

  const shadowCount = async (shadow: string, outcome: string): Promise<number> => {
    const metrics = String((await graph.get('/_fn/orchestrator/metrics')).body);
    const line = new RegExp(`switchyard_shadow_requests_total\\{[^}]*node="good-model",shadow="${shadow}",outcome="${outcome}"[^}]*\\} (\\d+)`).exec(metrics);
    return line === null ? 0 : Number(line[1]);
  };

  it('answers with the node\'s own prediction, before the slow shadow is done, whatever the shadows do', async () => {
    const direct = await graph.post('/_fn/good-model/predict', { data: { ndarray: ROWS } });
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS } });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data).toEqual(direct.body.data);
    // The client's path is the graph's: the shadows are not on it.
    expect(Object.keys(body.meta.requestPath)).toEqual(['good-model']);
    // The answer came while the 2.5 s shadow was still working.
    expect(await shadowCount('sleeps', 'ok')).toBe(0);
    await eventually('the slow shadow to finish', async () => (await shadowCount('sleeps', 'ok')) === 1, 10_000);
    expect(await shadowCount('candidate', 'ok')).toBe(1);
    expect(await shadowCount('rejects', 'failed')).toBe(1);
  });

  it('traces each shadow walk under the request, with the shadow\'s own node call and its error', async () => {
    const { status, headers } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[0]] } });
    expect(status).toBe(200);
    const traceId = headers.get('traceparent')!.split('-')[1]!;
    let spans: ViewSpan[] = [];
    await eventually('the trace with its three shadow spans', async () => {
      const answer = await graph.get(`/_switchyard/traces/${traceId}`);
      spans = answer.status === 200 ? (answer.body.spans as ViewSpan[]) : [];
      return spans.filter((s) => s.name.startsWith('shadow ')).length === 3 && spans.some((s) => s.name === 'call sleeps /predict');
    }, 10_000);
    const root = spans.find((s) => s.parentSpanId === undefined || !spans.some((p) => p.spanId === s.parentSpanId))!;
    for (const shadow of ['candidate', 'rejects', 'sleeps']) {
      const span = spans.find((s) => s.name === `shadow good-model → ${shadow}`)!;
      expect(span, `shadow span for ${shadow}`).toBeDefined();
      expect(span.attributes).toMatchObject({ 'switchyard.shadow': shadow, 'switchyard.shadow.of': 'good-model' });
      expect(span.parentSpanId).toBe(root.spanId);
      const call = spans.find((s) => s.name === `call ${shadow} /predict`)!;
      expect(call.parentSpanId).toBe(span.spanId);
    }
    const failed = spans.find((s) => s.name === 'shadow good-model → rejects')!;
    expect(failed.status).toBe('error');
    expect(failed.statusMessage).toContain('candidate cannot score this input');
    // The request itself succeeded: the shadow's failure is not the client's, and the trace's summary says both.
    expect(root.status).not.toBe('error');
    const summary = (await graph.get(`/_switchyard/traces/${traceId}`)).body.summary;
    expect(summary).toMatchObject({ status: 'ok', httpStatus: 200 });
    expect(summary.errorCount).toBeGreaterThanOrEqual(2);
  });

  it('reports a failing shadow in the log, once per period, saying clients are not affected', async () => {
    for (let i = 0; i < 3; i++) expect((await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROWS[1]] } })).status).toBe(200);
    await eventually('the failures counted', async () => (await shadowCount('rejects', 'failed')) >= 5);
    const lines = graph.logs.filter((line) => line.includes('shadow "rejects" of "good-model" failed'));
    // One line per 30 s period: far fewer lines than failures.
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThan(await shadowCount('rejects', 'failed'));
    expect(lines[0]).toContain('candidate cannot score this input');
    expect(lines[0]).toContain("Clients' answers are not affected.");
  });

  it('compares each shadow\'s answers with its node\'s: how often they pick the same class', async () => {
    // Every row sent so far: ROWS in the first test, ROWS[0] in the second, ROWS[1] three times in the third.
    const sent = [...ROWS, ROWS[0]!, ROWS[1]!, ROWS[1]!, ROWS[1]!];
    const answerOf = async (fn: string) => (await graph.post(`/_fn/${fn}/predict`, { data: { ndarray: sent } })).body.data.ndarray as number[][];
    const [node, candidate] = [await answerOf('good-model'), await answerOf('candidate')];
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    const agreeing = node.filter((row, r) => argmax(row) === argmax(candidate[r]!)).length;
    const maxAbsDiff = Math.max(...node.flatMap((row, r) => row.map((v, k) => Math.abs(v - candidate[r]![k]!))));

    let view: any;
    await eventually('every walk counted', async () => {
      view = (await graph.get('/api/v1.0/shadows')).body;
      const sleeps = view.shadows.find((s: any) => s.shadow === 'sleeps');
      return sleeps.walks.ok === 5;
    }, 10_000);
    const of = (shadow: string) => view.shadows.find((s: any) => s.shadow === shadow);
    expect(of('candidate')).toMatchObject({ node: 'good-model', walks: { ok: 5, failed: 0, skipped: 0 }, compared: 5, rows: sent.length, agreeingRows: agreeing });
    expect(of('candidate').agreement).toBeCloseTo(agreeing / sent.length, 10);
    expect(of('candidate').maxAbsDiff).toBeCloseTo(maxAbsDiff, 5);
    // A shadow that failed has nothing to compare; one whose answer has another shape (the echo) is not compared.
    expect(of('rejects')).toMatchObject({ walks: { ok: 0, failed: 5 }, compared: 0, agreement: null });
    expect(of('sleeps')).toMatchObject({ compared: 0, agreement: null });
    // `switchyard status` says the same.
    const lines: string[] = [];
    const { port, hostname } = new URL(graph.url);
    expect(await statusCommand({ port, host: hostname }, { info: (l) => lines.push(l), error: (l) => lines.push(l) })).toBe(0);
    expect(lines).toContain(`  candidate (shadow of good-model): 5 ok, 0 failed, 0 skipped; picks the same class on ${Math.round((agreeing / sent.length) * 100)}% of ${sent.length} rows (largest difference ${maxAbsDiff.toPrecision(3)})`);
    expect(lines).toContain('  rejects (shadow of good-model): 0 ok, 5 failed, 0 skipped; no answers compared yet');
    const metrics = String((await graph.get('/_fn/orchestrator/metrics')).body);
    expect(metrics).toMatch(new RegExp(`switchyard_shadow_rows_agreeing_total\\{[^}]*node="good-model",shadow="candidate"[^}]*\\} ${agreeing}\\b`));
  });
});
