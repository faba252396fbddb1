/**
 * Malformed input against every REST endpoint that takes a body — the gateway's front door (Seldon, its
 * /seldon/<ns>/<graph> prefix, feedback, V2) and functions' own component and V2 paths (reached through the
 * gateway's /_fn/<function>/) — and against gRPC ModelInfer. Each case must get a 4xx (or the gRPC
 * equivalent) whose message names the field and what was expected; nothing may crash (every replica keeps its
 * process); the next good request is served normally.
 */
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { codeName, inferenceClient, type InferenceClient } from '../helpers/grpc-client.ts';
import { SELDON_CASES, V2_CASES, FEEDBACK_CASES, GRPC_CASES, LIMIT, type Case } from './hardening-cases.ts';

const FORMS = path.resolve(import.meta.dirname, '../contract/fixtures/forms/graph.yaml');

const SELDON_ENDPOINTS = ['/api/v1.0/predictions', '/seldon/default/forms/api/v1.0/predictions', '/_fn/tagger/transform-input', '/_fn/echo/predict'];
const V2_ENDPOINTS = ['/v2/models/forms/infer', '/v2/models/forms/versions/1/infer', '/_fn/echo/v2/models/echo/infer'];
const FEEDBACK_ENDPOINTS = ['/api/v1.0/feedback'];

const GOOD_SELDON = { strData: 'still fine' };
const GOOD_V2 = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] };
const GOOD_FEEDBACK = { request: { strData: 'x' }, response: { strData: 'x', meta: { puid: 'ok', routing: { tagger: -1 } } }, reward: 1 };

describe('hardened input handling', () => {
  let graph: RunningGraph;
  let client: InferenceClient;
  let pidsBefore: number[];
  beforeAll(async () => {
    graph = await startGraph(FORMS, { engine: { grpcPort: 0, bodyLimitBytes: LIMIT }, overrides: { scaling: { scaleToZeroGracePeriodMs: 600_000 } } });
    client = inferenceClient(graph.engine.grpcAddress!);
    // Warm every function, then remember its processes.
    expect((await graph.post('/api/v1.0/predictions', GOOD_SELDON)).status).toBe(200);
    pidsBefore = replicaPids();
    expect(pidsBefore.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    client?.close();
    await graph?.stop();
  });

  const replicaPids = () => graph.engine.status().functions.flatMap((f) => f.replicas.map((r) => r.pid!)).sort();

  const send = async (route: string, c: Case) => {
    const response = await fetch(graph.url + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...c.headers },
      body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, any> };
  };

  /** The error message of either protocol's body. */
  const messageOf = (body: Record<string, any>): string => (typeof body['error'] === 'string' ? body['error'] : body['status']?.info);

  const table = (endpoints: string[], cases: Case[], good: unknown) =>
    endpoints.flatMap((endpoint) => cases.map((c) => ({ endpoint, ...c, good })));

  it.each([...table(SELDON_ENDPOINTS, SELDON_CASES, GOOD_SELDON), ...table(V2_ENDPOINTS, V2_CASES, GOOD_V2), ...table(FEEDBACK_ENDPOINTS, FEEDBACK_CASES, GOOD_FEEDBACK)])(
    '$endpoint: $name → $status',
    async ({ endpoint, good, ...c }) => {
      const answer = await send(endpoint, c);
      expect(answer.status, answer.text).toBe(c.status);
      const message = messageOf(answer.body);
      expect(typeof message, answer.text).toBe('string');
      expect(message).toMatch(c.message);
      if (endpoint.includes('/v2/')) expect(Object.keys(answer.body)).toEqual(['error']);
      else expect(answer.body['status']).toMatchObject({ code: c.status, status: 'FAILURE' });
      expect((await send(endpoint, { name: 'good', body: good, status: 200, message: /./ })).status).toBe(200);
    },
  );

  it.each(GRPC_CASES)('gRPC ModelInfer: $name → $code', async ({ request, raw, code, message }) => {
    const result = raw === undefined ? await client.call('ModelInfer', request) : await rawCall(graph.engine.grpcAddress!, raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(codeName(result.code)).toBe(code);
    expect(result.details).toMatch(message);
    const good = await client.call('ModelInfer', { model_name: 'forms', inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }] });
    expect(good.ok).toBe(true);
  });

  /** POST `chunks` with chunked transfer encoding (no Content-Length), as a streaming client would. */
  const sendChunked = (route: string, chunks: string[]) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(graph.url + route, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });

  it('passes a chunked upload on to the function byte for byte, and answers one over the limit with 413', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => Math.round(Math.sin(i) * 1e6) / 1e3);
    const text = JSON.stringify({ data: { ndarray: [values] } });
    const pieces = Array.from({ length: 7 }, (_, i) => text.slice((i * text.length) / 7, ((i + 1) * text.length) / 7));
    const echoed = await sendChunked('/_fn/echo/predict', pieces);
    expect(echoed.status).toBe(200);
    expect(echoed.body.data.ndarray).toEqual([values]);
    const tooBig = await sendChunked('/_fn/echo/predict', ['{"data":{"ndarray":[', ...Array.from({ length: 8 }, () => '1.5,'.repeat(LIMIT / 32)), '1]}}']);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.status.info).toMatch(/larger than the limit of 524288 bytes/);
    expect((await send('/_fn/echo/predict', { name: 'good', body: GOOD_SELDON, status: 200, message: /./ })).status).toBe(200);
  });

  it.each([
    { method: 'GET', route: SELDON_ENDPOINTS[0]!, allow: 'POST', v2: false },
    { method: 'PUT', route: FEEDBACK_ENDPOINTS[0]!, allow: 'POST', v2: false },
    { method: 'GET', route: V2_ENDPOINTS[0]!, allow: 'POST', v2: true },
    { method: 'DELETE', route: '/v2/models/forms', allow: 'GET, HEAD', v2: true },
    { method: 'POST', route: '/_switchyard/status', allow: 'GET, HEAD', v2: false },
    // A function serves its Seldon paths by GET (?json=…) as well, as Seldon's Python wrapper does.
    { method: 'PUT', route: '/_fn/echo/predict', allow: 'GET, HEAD, POST', v2: false },
  ])('$method $route → 405 with Allow: $allow, in its protocol', async ({ method, route, allow, v2 }) => {
    const response = await fetch(graph.url + route, { method });
    const text = await response.text();
    expect(response.status, text).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    const body = JSON.parse(text) as Record<string, any>;
    const expected = `${method} is not allowed on `;
    if (v2) expect(body['error']).toContain(expected);
    else expect(body['status']).toMatchObject({ code: 405, reason: 'method_not_allowed', status: 'FAILURE', info: expect.stringContaining(expected) });
  });

  it('answers a path that no method serves with 404', async () => {
    const response = await fetch(graph.url + '/api/v1.0/nope', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
  });

  it('crashed nothing: every replica kept its process, none failed, the gateway is healthy', async () => {
    const status = graph.engine.status();
    expect(status.functions.map((f) => f.failures)).toEqual(status.functions.map(() => 0));
    const pids = replicaPids();
    for (const pid of pidsBefore) expect(pids).toContain(pid);
    expect((await graph.get('/health/ping')).body).toBe('pong');
  });
});

/** Sends bytes that are not a ModelInferRequest, with a client that does not encode them. */
async function rawCall(address: string, bytes: Buffer) {
  const grpc = await import('@grpc/grpc-js');
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<{ ok: true; value: unknown } | { ok: false; code: number; details: string }>((resolve) => {
      client.makeUnaryRequest(
        '/inference.GRPCInferenceService/ModelInfer',
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        (error, value) => resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true, value }),
      );
    });
  } finally {
    client.close();
  }
}
