/**
 * Every Seldon payload form through a graph (transformer → model), checked against engine.oas3.json (with
 * prediction.proto's jsonData and Metric.tags overlaid): ndarray, tensor, names, strData, jsonData, binData,
 * also sent as text/* and application/octet-stream bodies; meta.tags carried through; the components'
 * meta.metrics in the response and at their function's /metrics; what the orchestrator sends a node.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { contractsMissing, engine, wrapper } from './_schemas.ts';

const missing = contractsMissing();
const FORMS = path.resolve(import.meta.dirname, 'fixtures/forms/graph.yaml');

describe.skipIf(missing !== undefined)(`every Seldon data form through a graph${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(FORMS);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  const payloadOf = (message: Record<string, unknown>) => {
    const { meta: _meta, ...payload } = message;
    return payload;
  };

  it.each([
    { form: 'ndarray of numbers', body: { data: { ndarray: [[1, 2.5], [3, 4]] } } },
    { form: 'ndarray of mixed values', body: { data: { ndarray: [['a', 1, true], [null, { b: 2 }]] } } },
    { form: 'tensor', body: { data: { tensor: { shape: [2, 2], values: [1, 2, 3, 4] } } } },
    { form: 'tensor with names', body: { data: { names: ['x', 'y'], tensor: { shape: [1, 2], values: [0.5, 1.5] } } } },
    { form: 'ndarray with names', body: { data: { names: ['a', 'b', 'c'], ndarray: [[1, 2, 3]] } } },
    { form: 'strData', body: { strData: 'hello, graph' } },
    { form: 'jsonData', body: { jsonData: { text: 'héllo', list: [1, { nested: null }], flag: false } } },
    { form: 'binData', body: { binData: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64') } },
  ])('$form: comes back unchanged; request and response are SeldonMessages', async ({ body }) => {
    expect(engine('SeldonMessage')(body)).toBe('valid');
    const { status, body: answer } = await graph.post('/api/v1.0/predictions', body);
    expect(status).toBe(200);
    expect(engine('SeldonMessage')(answer)).toBe('valid');
    expect(payloadOf(answer)).toEqual(body);
  });

  it('carries meta.tags through the graph, adding the components\' own', async () => {
    const { body } = await graph.post('/seldon/default/forms/api/v1.0/predictions', { strData: 'x', meta: { puid: 'p-tags', tags: { team: 'ml', level: 3 } } });
    expect(engine('SeldonMessage')(body)).toBe('valid');
    expect(body.meta.puid).toBe('p-tags');
    expect(body.meta.tags).toMatchObject({ team: 'ml', level: 3, tagged_by: 'tagger' });
    expect(body.meta.routing).toEqual({ tagger: -1 });
    expect(body.meta.requestPath).toEqual({ tagger: 'tagger', echo: 'echo' });
  });

  it('surfaces the components\' meta.metrics in the response and at their function\'s /metrics', async () => {
    const { body } = await graph.post('/api/v1.0/predictions', { strData: 'count me' });
    expect(body.meta.metrics).toEqual([
      { key: 'contract_tagger_calls_total', type: 'COUNTER', value: 1 },
      { key: 'contract_tagger_level', type: 'GAUGE', value: 7, tags: { stage: 'input' } },
      { key: 'contract_tagger_time', type: 'TIMER', value: 20 },
    ]);
    const metrics = (await graph.get('/_fn/tagger/metrics')).body as string;
    const calls = Number(/^contract_tagger_calls_total (\d+)$/m.exec(metrics)?.[1]);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^contract_tagger_level\{stage="input"\} 7$/m);
    expect(metrics).toMatch(/^contract_tagger_time_sum \d+(\.\d+)?$/m);
    await graph.post('/api/v1.0/predictions', { strData: 'and me' });
    const after = (await graph.get('/_fn/tagger/metrics')).body as string;
    expect(Number(/^contract_tagger_calls_total (\d+)$/m.exec(after)?.[1])).toBe(calls + 1);
  });

  it('what the orchestrator sends a node is a valid SeldonMessage (wrapper.oas3.json)', async () => {
    const { body } = await graph.post('/api/v1.0/predictions', { data: { names: ['a'], ndarray: [[1]] }, meta: { tags: { record: 'yes' } } });
    const sent = body.jsonData;
    expect(wrapper('SeldonMessage')(sent)).toBe('valid');
    expect(sent.data).toEqual({ names: ['a'], ndarray: [[1]] });
    expect(sent.meta.puid).toBe(body.meta.puid);
    expect(sent.meta.tags).toMatchObject({ record: 'yes', tagged_by: 'tagger' });
  });

  it('a text/* body is strData and an application/octet-stream body is binData (engine.oas3.json)', async () => {
    const text = await graph.post('/api/v1.0/predictions', 'plain words', { 'content-type': 'text/plain; charset=utf-8' });
    expect(text.status).toBe(200);
    expect(payloadOf(text.body)).toEqual({ strData: 'plain words' });
    const bytes = Buffer.from([255, 0, 128, 7]);
    const response = await fetch(`${graph.url}/api/v1.0/predictions`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const binary = (await response.json()) as { binData: string };
    expect(engine('SeldonMessage')(binary)).toBe('valid');
    expect(Buffer.from(binary.binData, 'base64')).toEqual(bytes);
  });

  it('a form-encoded body carries the message in its json field', async () => {
    const form = new URLSearchParams({ json: JSON.stringify({ strData: 'from a form' }) }).toString();
    const { status, body } = await graph.post('/api/v1.0/predictions', form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(status).toBe(200);
    expect(body.strData).toBe('from a form');
  });

  it('feedback without routers is answered with a valid SeldonMessage', async () => {
    const feedback = { request: { strData: 'x' }, response: { strData: 'x', meta: { puid: 'fb-1', routing: { tagger: -1 } } }, reward: 1 };
    expect(engine('Feedback')(feedback)).toBe('valid');
    const { status, body } = await graph.post('/api/v1.0/feedback', feedback);
    expect(status).toBe(200);
    expect(engine('SeldonMessage')(body)).toBe('valid');
  });
});
