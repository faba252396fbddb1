/** examples/rollout as its README section uses it: a sticky 90/10 split, and a shadow of the current model. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const EXAMPLE = path.resolve('examples/rollout');
const request = async (name: string) => JSON.parse(await readFile(path.join(EXAMPLE, 'requests', name), 'utf8'));

describe('the rollout example', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.join(EXAMPLE, 'graph.yaml'));
  });
  afterAll(async () => graph?.stop());

  /** Requests the current model served, over both tests: each launched one shadow walk. */
  let servedByCurrent = 0;
  /** Shadow walks of the candidate so far, by outcome (ok, failed, skipped). */
  const shadowWalks = async (): Promise<Record<string, number>> => {
    const metrics = String((await graph.get('/_fn/orchestrator/metrics')).body);
    const out: Record<string, number> = {};
    for (const line of metrics.matchAll(/switchyard_shadow_requests_total\{[^}]*node="current",shadow="candidate",outcome="(\w+)"[^}]*\} (\d+)/g)) out[line[1]!] = Number(line[2]);
    return out;
  };
  const total = (walks: Record<string, number>) => Object.values(walks).reduce((a, b) => a + b, 0);

  it('keeps alice on one side, over Seldon and V2 alike', async () => {
    const alice = await request('alice.json');
    const arms = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const { status, body } = await graph.post('/api/v1.0/predictions', alice);
      expect(status, JSON.stringify(body)).toBe(200);
      arms.add(body.meta.routing.ab);
      if (body.meta.routing.ab === 0) servedByCurrent++;
    }
    expect(arms.size).toBe(1);
    const { status, body } = await graph.post('/v2/models/rollout/infer', await request('alice-v2.json'));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.parameters['routing.ab']).toBe([...arms][0]);
    if (body.parameters['routing.ab'] === 0) servedByCurrent++;
  });

  it('sends about a tenth of the users to the new model, and shadows every request the current one serves', async () => {
    const alice = await request('alice.json');
    const counts = [0, 0];
    for (let i = 0; i < 60; i++) {
      const { status, body } = await graph.post('/api/v1.0/predictions', { ...alice, meta: { tags: { user: `user-${i}` } } });
      expect(status).toBe(200);
      counts[body.meta.routing.ab]!++;
      if (body.meta.routing.ab === 0) servedByCurrent++;
      expect(Object.keys(body.meta.requestPath)).not.toContain('candidate');
    }
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[1]).toBeLessThan(15);
    // Every request the current model served (in both tests) launched one shadow walk; they end in the background.
    await eventually('a shadow walk per request to the current model', async () => total(await shadowWalks()) === servedByCurrent);
    expect((await shadowWalks()).ok).toBeGreaterThan(0);
    // And says how often the candidate picks the class the current model picks.
    const candidate = (await graph.get('/api/v1.0/shadows')).body.shadows.find((v: { shadow: string }) => v.shadow === 'candidate');
    expect(candidate).toMatchObject({ node: 'current', compared: (await shadowWalks()).ok });
    expect(candidate.agreement).toBeGreaterThanOrEqual(0);
    expect(candidate.agreement).toBeLessThanOrEqual(1);
  });
});
