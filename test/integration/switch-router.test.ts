/**
 * The switch router (KServe's Switch node) in a real graph on the local engine: requests routed by their tags (sent
 * by the client, or set by a transformer above the router) and by their data, over Seldon and V2; a request that
 * matches no case is a 400 in its protocol that says what the router saw; the decision is in the trace.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceListCommand } from '../../compiler/cli/commands/trace-list.ts';
import { eventually, startGraph, type RunningGraph } from '../helpers/graph-engine.ts';

const SHORT_PETAL = [5.1, 3.5, 1.4, 0.2];
const LONG_PETAL = [6.3, 3.3, 6.0, 2.5];
const FIRST_SEVEN = [7.2, 3.0, 1.4, 0.2];

describe('a switch router', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(path.resolve('test/fixtures/engine/switch.yaml'));
  });
  afterAll(async () => graph?.stop());

  const seldon = (row: number[], tags?: Record<string, unknown>) =>
    graph.post('/api/v1.0/predictions', { ...(tags ? { meta: { tags } } : {}), data: { ndarray: [row] } });
  const v2 = (row: number[], parameters?: Record<string, unknown>) =>
    graph.post('/v2/models/switchy/infer', { ...(parameters ? { parameters } : {}), inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: row }] });
  const modelOf = (requestPath: Record<string, string>) => Object.keys(requestPath).find((name) => name.endsWith('-model'));

  it('routes by a tag the client sent, before the cases after it', async () => {
    const { status, body } = await seldon(LONG_PETAL, { tier: 'gold' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.meta.routing.pick).toBe(0);
    expect(modelOf(body.meta.requestPath)).toBe('good-model');
  });

  it('routes by a tag that the transformer above it set', async () => {
    const { status, body } = await seldon(LONG_PETAL);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.meta.tags.petal).toBe('long');
    expect(body.meta.routing.pick).toBe(1);
    expect(modelOf(body.meta.requestPath)).toBe('weak-model');
  });

  it('routes by a value in the data: an ndarray element, or a V2 tensor element', async () => {
    const viaSeldon = await seldon(FIRST_SEVEN);
    expect(viaSeldon.status, JSON.stringify(viaSeldon.body)).toBe(200);
    expect(modelOf(viaSeldon.body.meta.requestPath)).toBe('weak-model');
    const viaV2 = await v2(FIRST_SEVEN);
    expect(viaV2.status, JSON.stringify(viaV2.body)).toBe(200);
    expect(viaV2.body.parameters['routing.pick']).toBe(1);
    expect(viaV2.body.parameters['requestPath.weak-model']).toBe('weak-model');
  });

  it('routes V2 requests by their parameters, which become tags', async () => {
    const { status, body } = await v2(SHORT_PETAL, { tier: 'gold' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.parameters['routing.pick']).toBe(0);
    expect(body.parameters['requestPath.good-model']).toBe('good-model');
  });

  it('refuses a request that matches no case with a 400 that says what the router saw, in either protocol', async () => {
    const viaSeldon = await seldon(SHORT_PETAL, { tier: 'silver' });
    expect(viaSeldon.status).toBe(400);
    expect(viaSeldon.body.status).toMatchObject({ code: 400, reason: 'no_route', status: 'FAILURE' });
    expect(viaSeldon.body.status.info).toContain('router "pick": the request matched none of the switch\'s cases');
    expect(viaSeldon.body.status.info).toContain('meta.tags.tier is "silver"; meta.tags.petal is "short"; data.ndarray[0][0] is 5.1; data.tensor.values[0] is absent');
    const viaV2 = await v2(SHORT_PETAL);
    expect(viaV2.status).toBe(400);
    expect(Object.keys(viaV2.body)).toEqual(['error']);
    expect(viaV2.body.error).toContain('meta.tags.tier is absent; meta.tags.petal is "short"; data.ndarray[0][0] is absent; data.tensor.values[0] is 5.1');
    // The next request is served as usual.
    expect((await seldon(LONG_PETAL)).status).toBe(200);
    // The failed requests' traces say how far they got: through the tagger to the router that refused them.
    await eventually('the failed traces reach the engine', async () => {
      const { traces } = (await graph.get('/_switchyard/traces?limit=50')).body;
      return traces.filter((t: any) => t.httpStatus === 400 && t.route === 'tagger > pick').length === 2;
    });
    // `switchyard trace list --errors --node pick` finds them, and only them.
    const lines: string[] = [];
    const output = { info: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await traceListCommand({ host: '127.0.0.1', port: String(graph.engine.port), errors: true, node: 'pick' }, output)).toBe(0);
    const rows = lines.slice(1, -2);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/ 400 error +[0-9a-f]{12} +tagger → pick$/);
    expect(lines.at(-1)).toMatch(/^2 failed, through "pick" of \d+ kept traces/);
    expect((await graph.get('/_switchyard/traces?errors=maybe')).status).toBe(400);
  });

  it('puts the case that matched in the trace, and lists itself among the routers as one that does not learn', async () => {
    const { body } = await seldon(FIRST_SEVEN);
    const traceId = body.meta.tags['trace-id'];
    let route: any;
    await eventually('the route span reaches the engine', async () => {
      const trace = (await graph.get(`/_switchyard/traces/${traceId}`)).body;
      route = trace.spans?.find((s: any) => s.name.startsWith('route pick'));
      return route !== undefined;
    });
    expect(route.name).toBe('route pick → weak-model');
    expect(route.attributes['switchyard.router.reason']).toBe('case 2: data.ndarray[0][0] is 7.2, atLeast 7: weak-model');
    // A switch neither explores nor exploits: the trace does not say "exploit".
    expect(route.attributes['switchyard.router.explore']).toBeUndefined();
    const routers = (await graph.get('/api/v1.0/routers')).body.routers;
    expect(routers).toEqual([expect.objectContaining({ node: 'pick', router: 'switch', learns: false })]);
    const feedback = await graph.post('/api/v1.0/feedback', { response: body, reward: 1 });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
  });
});
