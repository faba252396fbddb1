/** A sticky A/B split on a real graph: each user (a client tag, or a V2 parameter) stays on one model. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const ROW = [5.1, 3.5, 1.4, 0.2];

describe('weighted-split with stickyBy', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/sticky.yaml'));
  });
  afterAll(async () => graph?.stop());

  const armOf = async (user: string): Promise<number> => {
    const { status, body } = await graph.post('/api/v1.0/predictions', { data: { ndarray: [ROW] }, meta: { tags: { user } } });
    expect(status, JSON.stringify(body)).toBe(200);
    return body.meta.routing.ab as number;
  };

  it('keeps each user on one child, and splits users between both', async () => {
    const arms = new Map<string, number>();
    for (let i = 0; i < 24; i++) arms.set(`user-${i}`, await armOf(`user-${i}`));
    for (const [user, arm] of [...arms].slice(0, 6)) for (let i = 0; i < 3; i++) expect(await armOf(user)).toBe(arm);
    expect(new Set(arms.values())).toEqual(new Set([0, 1]));
  });

  it('reads the user from a V2 request parameter too, to the same child as the Seldon tag', async () => {
    for (const user of ['user-1', 'user-2', 'user-3']) {
      const seldon = await armOf(user);
      const { status, body } = await graph.post('/v2/models/sticky/infer', {
        parameters: { user },
        inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: ROW }],
      });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.parameters['routing.ab']).toBe(seldon);
    }
  });
});
