/**
 * A function host over a real socket, checked against Seldon's internal component API (wrapper.oas3.json,
 * with prediction.proto's overlays): every path, as POST form `json=` (the spec's content type), POST JSON and
 * GET `?json=`; requests and responses validated. Its V2 face is checked against the OIP schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComponentNode } from '../../runtime/component/load.ts';
import type { Component } from '../../runtime/component/types.ts';
import { createFunctionApp } from '../../runtime/host/app.ts';
import { serve, type ServerHandle } from '../../runtime/host/serve.ts';
import { componentNode } from '../fixtures/components/plan-node.ts';
import * as allPaths from './fixtures/all-paths.ts';
import { contractsMissing, oip, wrapper } from './_schemas.ts';

const missing = contractsMissing();

const message = { data: { names: ['a', 'b'], ndarray: [[1, 2]] }, meta: { puid: 'host-1', tags: { from: 'test' } } };
const PATHS: Array<{ path: string; body: unknown; schema: string }> = [
  { path: '/predict', body: message, schema: 'SeldonMessage' },
  { path: '/transform-input', body: message, schema: 'SeldonMessage' },
  { path: '/transform-output', body: message, schema: 'SeldonMessage' },
  { path: '/route', body: message, schema: 'SeldonMessage' },
  { path: '/aggregate', body: { seldonMessages: [message, { strData: 'second' }] }, schema: 'SeldonMessageList' },
  { path: '/send-feedback', body: { request: message, response: { ...message, meta: { puid: 'host-1' } }, reward: 0.5 }, schema: 'Feedback' },
];

describe.skipIf(missing !== undefined)(`a function host against wrapper.oas3.json${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let server: ServerHandle;
  let base: string;
  beforeAll(async () => {
    const node = componentNode('all', 'MODEL', { children: ['a', 'b'] });
    const handle = createFunctionApp({ name: 'all-fn', load: () => loadComponentNode(allPaths as Component, node) });
    await handle.ready;
    server = await serve(handle, { port: 0, hostname: '127.0.0.1' });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  const send = async (path: string, init?: RequestInit) => {
    const response = await fetch(base + path, init);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it.each(PATHS)('$path: the request is a $schema; form, JSON and GET answers are valid SeldonMessages', async ({ path, body, schema }) => {
    expect(wrapper(schema)(body)).toBe('valid');
    const json = JSON.stringify(body);
    const answers = [
      await send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ json }).toString() }),
      await send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }),
      await send(`${path}?json=${encodeURIComponent(json)}`),
    ];
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(wrapper('SeldonMessage')(answer.body)).toBe('valid');
      expect(answer.body.meta?.puid).toBe('host-1');
    }
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.body).toEqual(answers[0]!.body);
  });

  it('answers /route with the chosen child as {data: {ndarray: [[i]]}}, and /predict with the result', async () => {
    expect((await send('/route', { method: 'POST', body: JSON.stringify(message) })).body.data).toEqual({ ndarray: [[1]] });
    expect((await send('/predict', { method: 'POST', body: JSON.stringify(message) })).body.data).toEqual({ names: ['t:0', 't:1'], ndarray: [[2, 4]] });
  });

  it('errors are valid SeldonMessages naming the field', async () => {
    const bad = await send('/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { ndarray: [[1, 2], [3]] } }) });
    expect(bad.status).toBe(400);
    expect(wrapper('SeldonMessage')(bad.body)).toBe('valid');
    expect(bad.body.status.info).toMatch(/data\.ndarray\[1\]: expected 2 elements like data\.ndarray\[0\], received 1/);
  });

  it('its Open Inference Protocol face: metadata, infer (declared output name), errors', async () => {
    const metadata = await send('/v2/models/all');
    expect(oip('metadata_model_response')(metadata.body)).toBe('valid');
    expect((await send('/v2')).body.extensions).toEqual(['binary_tensor_data']);
    const request = { id: 'h1', inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] };
    const infer = await send('/v2/models/all/infer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(oip('inference_response')(infer.body)).toBe('valid');
    expect(infer.body.outputs).toEqual([{ name: 'doubled', shape: [1, 2], datatype: 'FP32', data: [2, 4] }]);
    const wrong = await send('/v2/models/all/infer', { method: 'POST', body: JSON.stringify({ ...request, outputs: [{ name: 'other' }] }) });
    expect(wrong.status).toBe(400);
    expect(oip('inference_error_response')(wrong.body)).toBe('valid');
  });
});
