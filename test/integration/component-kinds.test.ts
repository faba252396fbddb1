/**
 * User components as an OUTPUT_TRANSFORMER, a ROUTER and MODELs in a real graph on the local engine: each runs in
 * its own function process, and the orchestrator calls each on its Seldon path once per request (/predict,
 * /route, /transform-output after the children), sends feedback to the router component and to the model on the
 * prediction's path that exports sendFeedback (it learns online, in its own process), and follows a route of -1
 * to every child, as Seldon does.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

describe('components as every node type', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/component-kinds.yaml'));
  });
  afterAll(async () => graph?.stop());

  it('routes by the router component, predicts with the chosen model and rounds on the way out', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1.4, 2.6]] } });
    expect(status, JSON.stringify(body)).toBe(200);
    // The router's default (1): ×3 gives 4.2 and 7.8, which the output transformer rounds.
    expect(body.data.ndarray).toEqual([[4, 8]]);
    expect(body.meta.routing).toEqual({ rounder: -1, chooser: 1 });
    expect(Object.keys(body.meta.requestPath).sort()).toEqual(['chooser', 'rounder', 'times-three']);
    expect(body.meta.tags).toMatchObject({ doubled: true });

    const chosen = await graph.post('/api/v1.0/predictions', { jsonData: { to: 0, x: 1 } });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body.meta.routing).toEqual({ rounder: -1, chooser: 0 });
    expect(Object.keys(chosen.body.meta.requestPath).sort()).toEqual(['chooser', 'rounder', 'times-two']);
  });

  it('sends feedback to the router component, once per prediction', async () => {
    const prediction = await graph.post('/api/v1.0/predictions', { data: { ndarray: [[1, 2]] } });
    expect(prediction.status).toBe(200);
    const feedback = await graph.post('/api/v1.0/feedback', { request: { data: { ndarray: [[1, 2]] } }, response: prediction.body, reward: 1 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    expect(feedback.body.status.info).toBe('reward 1 applied to chooser arm 1');
  });

  it('sends feedback to a model on the prediction\'s path that exports sendFeedback, which learns from it', async () => {
    const ask = async () => {
      const { status, body } = await graph.post('/api/v1.0/predictions', { jsonData: { to: 2 } });
      expect(status, JSON.stringify(body)).toBe(200);
      return body;
    };
    const first = await ask();
    expect(first.jsonData).toMatchObject({ rewards: 0, feedbacks: 0 });
    const feedback = await graph.post('/api/v1.0/feedback', { response: first, reward: 1 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    expect(feedback.body.status.info).toBe('reward 1 applied to chooser arm 2; sent to learner');
    expect((await ask()).jsonData).toMatchObject({ rewards: 1, feedbacks: 1 });

    // Feedback on a prediction the learner did not make does not reach it.
    const elsewhere = await graph.post('/api/v1.0/predictions', { jsonData: { to: 0 } });
    const other = await graph.post('/api/v1.0/feedback', { response: elsewhere.body, reward: 1 });
    expect(other.body.status.info).toBe('reward 1 applied to chooser arm 0');
    expect((await ask()).jsonData).toMatchObject({ rewards: 1, feedbacks: 1 });
  });

  it('sends a request to every child when the router answers -1, and answers with the first child\'s answer', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { jsonData: { to: -1, x: 1 } });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.meta.routing).toEqual({ rounder: -1, chooser: -1 });
    expect(Object.keys(body.meta.requestPath).sort()).toEqual(['chooser', 'learner', 'rounder', 'times-three', 'times-two']);
    // times-two leaves an object as it is; the learner would have added its counts.
    expect(body.jsonData).toEqual({ to: -1, x: 1 });
    // No arm to reward; the learner was on the path.
    const feedback = await graph.post('/api/v1.0/feedback', { response: body, reward: 0 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    expect(feedback.body.status.info).toBe('sent to learner');
  });

  it('names the router when it picks a child that does not exist', async () => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { jsonData: { to: 5 } });
    expect(status).toBe(502);
    expect(JSON.stringify(body)).toMatch(/route returned 5; expected an integer child index in \[0, 2\] \(or -1\)/);
  });
});
