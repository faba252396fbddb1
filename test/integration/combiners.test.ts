/**
 * Combiners in a real graph on the local engine, over real ONNX models: built-in ones (a majority vote of two models
 * and the mean of the same two) and a user's TypeScript component (an element-wise sum). Each model's own answer
 * (asked directly, through /_fn) gives the expected result.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

// Three iris rows on which the good and the weak model disagree on at least one.
const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.3, 2.5, 4.9, 1.5],
  [6.0, 2.2, 5.0, 1.5],
];

const argmax = (row: number[]) => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);

describe('built-in combiners over ONNX models', () => {
  let graph: RunningGraph;
  let good: number[][];
  let weak: number[][];
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/ensemble.yaml'));
    const ask = async (fn: string) => {
      const { status, body } = await graph.post(`/_fn/${fn}/predict`, { data: { ndarray: ROWS } });
      expect(status, JSON.stringify(body)).toBe(200);
      return body.data.ndarray as number[][];
    };
    [good, weak] = [await ask('good-model'), await ask('weak-model')];
  });
  afterAll(async () => graph?.stop());

  it('votes: each row holds the share of voters (good, weak, their mean) that chose each class', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS } });
    expect(status, JSON.stringify(body)).toBe(200);
    const expected = ROWS.map((_, r) => {
      const mean = good[r]!.map((v, k) => (v + weak[r]![k]!) / 2);
      const shares = [0, 0, 0];
      for (const scores of [good[r]!, weak[r]!, mean]) shares[argmax(scores)]! += 1 / 3;
      return shares;
    });
    const got = body.data.ndarray as number[][];
    got.forEach((row, r) => row.forEach((share, k) => expect(share).toBeCloseTo(expected[r]![k]!, 6)));
    // The models disagree somewhere, so the vote is not unanimous everywhere.
    expect(got.some((row) => !row.includes(1))).toBe(true);
    expect(body.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Object.keys(body.meta.requestPath).sort()).toEqual(['average', 'good-again', 'good-model', 'vote', 'weak-again', 'weak-model']);
    expect(body.meta.routing).toMatchObject({ vote: -1, average: -1 });
  });

  it('answers V2 with the vote as a tensor', async () => {
    const { status, body } = await graph.post('/v2/models/ensemble/infer', { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: ROWS[0] }] });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.outputs[0].shape).toEqual([1, 3]);
    expect(body.outputs[0].data.reduce((s: number, v: number) => s + v, 0)).toBeCloseTo(1, 6);
  });
});

describe('a COMBINER component over ONNX models', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/component-combiner.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('gets both models\' answers in one /aggregate call and answers with what it returns', async () => {
    const ask = async (fn: string) => (await graph.post(`/_fn/${fn}/predict`, { data: { ndarray: ROWS } })).body.data.ndarray as number[][];
    const [good, weak] = [await ask('good-model'), await ask('weak-model')];
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: ROWS } });
    expect(status, JSON.stringify(body)).toBe(200);
    const got = body.data.ndarray as number[][];
    expect(got).toHaveLength(ROWS.length);
    got.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(good[r]![k]! + weak[r]![k]!, 5)));
    expect(body.meta.routing).toEqual({ sum: -1 });
    expect(Object.keys(body.meta.requestPath).sort()).toEqual(['good-model', 'sum', 'weak-model']);
  });
});
