/**
 * The seed graph's front door, checked against the published specs: every request the README sends and every
 * answer (success and error) validated with ajv against Seldon's engine.oas3.json and the Open Inference
 * Protocol's component schemas. Real compiler, real function processes, real onnxruntime.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type RunningGraph } from '../helpers/graph-engine.ts';
import { contractsMissing, engine, oip } from './_schemas.ts';

const missing = contractsMissing();
const SEED = path.resolve('examples/seed/graph.yaml');
const seldonRequest = JSON.parse(await readFile('examples/seed/requests/seldon.json', 'utf8'));
const v2Request = JSON.parse(await readFile('examples/seed/requests/v2.json', 'utf8'));

describe.skipIf(missing !== undefined)(`seed graph against the specs${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph(SEED, { engine: { bodyLimitBytes: 256 * 1024 } });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  describe('Seldon (engine.oas3.json)', () => {
    it.each([
      { name: 'the README request (ndarray)', body: seldonRequest },
      { name: 'a tensor with names', body: { data: { names: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], tensor: { shape: [2, 4], values: [5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6, 2.5] } } } },
      { name: 'a puid and tags', body: { ...seldonRequest, meta: { puid: 'contract-1', tags: { team: 'ml' } } } },
    ])('$name: request and response are SeldonMessages', async ({ body }) => {
      expect(engine('SeldonMessage')(body)).toBe('valid');
      const { status, body: answer } = await graph.post('/seldon/default/seed/api/v1.0/predictions', body);
      expect(status).toBe(200);
      expect(engine('SeldonMessage')(answer)).toBe('valid');
      expect(answer.data.names).toEqual(['setosa', 'versicolor', 'virginica']);
    });

    it('feedback: request is a Feedback, response a SeldonMessage', async () => {
      const { body: response } = await graph.post('/api/v1.0/predictions', seldonRequest);
      const feedback = { request: seldonRequest, response, reward: 1 };
      expect(engine('Feedback')(feedback)).toBe('valid');
      const answer = await graph.post('/api/v1.0/feedback', feedback);
      expect(answer.status).toBe(200);
      expect(engine('SeldonMessage')(answer.body)).toBe('valid');
    });

    it.each([
      { name: 'invalid message', route: '/api/v1.0/predictions', body: { data: { tensor: { shape: [1, 4], values: [1] } } }, status: 400, info: /data\.tensor\.values: expected 4 values/ },
      { name: 'unknown path', route: '/api/v1.0/nope', body: seldonRequest, status: 404, info: /no route/ },
      { name: 'wrong graph in the prefix', route: '/seldon/default/other/api/v1.0/predictions', body: seldonRequest, status: 404, info: /\/seldon\/default\/seed\// },
      { name: 'too large', route: '/api/v1.0/predictions', body: JSON.stringify({ data: { ndarray: [Array(80_000).fill(1.5)] } }), status: 413, info: /limit/ },
      { name: 'wrong content type', route: '/api/v1.0/predictions', body: '<x/>', headers: { 'content-type': 'application/xml' }, status: 415, info: /content-type.*application\/xml.*expected application\/json/ },
    ])('error "$name" is a SeldonMessage with a FAILURE status', async ({ route, body, status, info, headers }) => {
      const answer = await graph.post(route, body, headers);
      expect(answer.status).toBe(status);
      expect(engine('SeldonMessage')(answer.body)).toBe('valid');
      expect(answer.body.status).toMatchObject({ code: status, status: 'FAILURE' });
      expect(answer.body.status.info).toMatch(info);
    });
  });

  describe('Open Inference Protocol (open_inference_rest.yaml)', () => {
    it('the README request and its response, unversioned and versioned', async () => {
      expect(oip('inference_request')(v2Request)).toBe('valid');
      for (const route of ['/v2/models/seed/infer', '/v2/models/seed/versions/1/infer']) {
        const { status, body } = await graph.post(route, v2Request);
        expect(status).toBe(200);
        expect(oip('inference_response')(body)).toBe('valid');
        expect(body.outputs[0]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [1, 3] });
        expect(body.model_version).toBe(route.includes('versions') ? '1' : undefined);
      }
    });

    it('model metadata is real: the graph\'s input and output from its nodes, on both paths', async () => {
      for (const route of ['/v2/models/seed', '/v2/models/seed/versions/1']) {
        const { status, body } = await graph.get(route);
        expect(status).toBe(200);
        expect(oip('metadata_model_response')(body)).toBe('valid');
        expect(body).toEqual({
          name: 'seed',
          versions: ['1'],
          platform: 'switchyard',
          inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
          outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
        });
      }
    });

    it('server metadata, readiness and live', async () => {
      const server = await graph.get('/v2');
      expect(oip('metadata_server_response')(server.body)).toBe('valid');
      expect(server.body.extensions).toContain('binary_tensor_data');
      expect((await graph.get('/v2/models/seed/ready')).body).toEqual({ name: 'seed', ready: true });
      expect((await graph.get('/v2/health/live')).body).toEqual({ live: true });
    });

    it('selecting the declared output by name works; an unknown output is a 400 naming the declared one', async () => {
      const named = await graph.post('/v2/models/seed/infer', { ...v2Request, outputs: [{ name: 'probabilities' }] });
      expect(named.status).toBe(200);
      const unknown = await graph.post('/v2/models/seed/infer', { ...v2Request, outputs: [{ name: 'label' }] });
      expect(unknown.status).toBe(400);
      expect(oip('inference_error_response')(unknown.body)).toBe('valid');
      expect(unknown.body.error).toBe('outputs[0].name: this model has no output "label"; expected "probabilities"');
    });

    it.each([
      { name: 'unknown model', method: 'post', route: '/v2/models/nope/infer', status: 404, schema: 'inference_error_response', error: /model "nope" is not served here/ },
      { name: 'unknown version', method: 'post', route: '/v2/models/seed/versions/7/infer', status: 404, schema: 'inference_error_response', error: /no version "7"; available: 1/ },
      { name: 'metadata of an unknown version', method: 'get', route: '/v2/models/seed/versions/7', status: 404, schema: 'metadata_model_error_response', error: /no version "7"/ },
      { name: 'metadata of an unknown model', method: 'get', route: '/v2/models/nope', status: 404, schema: 'metadata_model_error_response', error: /"nope"/ },
    ])('error "$name" is a spec error body', async ({ method, route, status, schema, error }) => {
      const answer = method === 'post' ? await graph.post(route, v2Request) : await graph.get(route);
      expect(answer.status).toBe(status);
      expect(oip(schema)(answer.body)).toBe('valid');
      expect(answer.body.error).toMatch(error);
    });
  });
});
