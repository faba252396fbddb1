import { describe, expect, it } from 'vitest';
import { createFunctionApp } from '../../../runtime/host/app.ts';
import { createMemoryLogger } from '../../../runtime/log.ts';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { bodyOf, deferred, json, modelNode } from './_nodes.ts';
import type { LoadedNode } from '../../../runtime/host/types.ts';

const tensorBody = { data: { tensor: { shape: [1, 2], values: [1, 2] } }, meta: { puid: 'abc' } };

async function loadedApp(node: LoadedNode = modelNode(), bodyLimitBytes?: number) {
  const handle = createFunctionApp({ name: 'scorer-fn', load: async () => node, ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }) });
  await handle.ready;
  return handle;
}

describe('readiness while loading, after loading, and after a failed load', () => {
  it('answers 503 with Retry-After before load resolves, then serves', async () => {
    const load = deferred<LoadedNode>();
    const handle = createFunctionApp({ name: 'scorer-fn', load: () => load.promise });
    const { app } = handle;

    expect(handle.isReady()).toBe(false);
    const ping = await app.request('/health/ping');
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe('pong');
    const status = await app.request('/health/status');
    expect(status.status).toBe(503);
    const predict = await app.request('/predict', json(tensorBody));
    expect(predict.status).toBe(503);
    expect(predict.headers.get('retry-after')).toBe('1');
    expect(await bodyOf(predict)).toEqual({
      status: { code: 503, info: 'function "scorer-fn" is still loading its node; retry in 1 s', reason: 'not_ready', status: 'FAILURE' },
    });
    const infer = await app.request('/v2/models/scorer/infer', json({ inputs: [] }));
    expect(infer.status).toBe(503);
    expect(await bodyOf(infer)).toEqual({ error: 'function "scorer-fn" is still loading its node; retry in 1 s' });
    expect((await app.request('/v2/health/ready')).status).toBe(503);
    expect((await app.request('/v2/health/live')).status).toBe(200);
    expect((await app.request('/v2/models/scorer/ready')).status).toBe(503);
    expect((await app.request('/metadata')).status).toBe(503);

    load.resolve(modelNode());
    await handle.ready;
    expect(handle.isReady()).toBe(true);
    expect((await app.request('/health/status')).status).toBe(200);
    expect(await (await app.request('/v2/health/ready')).json()).toEqual({ ready: true });
    expect(await (await app.request('/v2/models/scorer/ready')).json()).toEqual({ name: 'scorer', ready: true });
    const answer = await app.request('/predict', json(tensorBody));
    expect(answer.status).toBe(200);
    expect(await bodyOf(answer)).toEqual({ data: { tensor: { shape: [1, 2], values: [2, 4] } }, meta: { puid: 'abc' } });
  });

  it('reports a failed load on health/status and predictions, without an unhandled rejection', async () => {
    const { log, lines } = createMemoryLogger('fn');
    const handle = createFunctionApp({ name: 'scorer-fn', load: async () => Promise.reject(new Error('model.onnx not found')), log });
    await expect(handle.ready).rejects.toThrow('model.onnx not found');
    const status = await handle.app.request('/health/status');
    expect(status.status).toBe(503);
    expect(await bodyOf(status)).toMatchObject({ status: { code: 503, info: 'function "scorer-fn" failed to load its node: model.onnx not found', reason: 'load_failed' } });
    const predict = await handle.app.request('/predict', json(tensorBody));
    expect(predict.status).toBe(503);
    expect(predict.headers.get('retry-after')).toBeNull();
    expect((await bodyOf(predict)).status.info).toContain('model.onnx not found');
    expect(lines.some((l) => l.includes('load failed level=error error="model.onnx not found"'))).toBe(true);
  });

  it('treats a synchronous throw in load() like a rejection', async () => {
    const handle = createFunctionApp({
      name: 'f',
      load: () => {
        throw new Error('sync');
      },
    });
    await expect(handle.ready).rejects.toThrow('sync');
    expect((await handle.app.request('/health/status')).status).toBe(503);
  });

  it('is not ready while the node reports itself unhealthy', async () => {
    let healthy = false;
    const handle = await loadedApp(modelNode({ health: async () => healthy }));
    const status = await handle.app.request('/health/status');
    expect(status.status).toBe(503);
    expect((await bodyOf(status)).status.info).toBe('node "scorer" reports itself unhealthy');
    expect((await handle.app.request('/v2/health/ready')).status).toBe(503);
    healthy = true;
    expect((await handle.app.request('/health/status')).status).toBe(200);
  });
});

describe('Seldon component paths', () => {
  it('404s a path the node does not implement, saying what it serves', async () => {
    const { app } = await loadedApp();
    const res = await app.request('/route', json(tensorBody));
    expect(res.status).toBe(404);
    expect(await bodyOf(res)).toEqual({
      status: { code: 404, info: 'node "scorer": /route is not implemented by this node; it serves /predict, /send-feedback', reason: 'not_implemented', status: 'FAILURE' },
    });
  });

  it('400s malformed JSON, an empty body and an invalid message, naming the problem', async () => {
    const { app } = await loadedApp();
    const malformed = await app.request('/predict', json('{"data": '));
    expect(malformed.status).toBe(400);
    const body = await bodyOf(malformed);
    expect(body.status.reason).toBe('invalid_json');
    expect(body.status.info).toMatch(/^node "scorer": the request body is not valid JSON: /);
    const empty = await app.request('/predict', json(''));
    expect((await bodyOf(empty)).status.info).toBe('node "scorer": the request body is empty: send a JSON document');
    const invalid = await app.request('/predict', json({ data: { tensor: { shape: [3], values: [1] } } }));
    expect(invalid.status).toBe(400);
    expect((await bodyOf(invalid)).status.info).toBe(
      'node "scorer": Invalid Seldon message: data.tensor.values: expected 3 values (the product of shape [3]), received 1',
    );
  });

  it('413s a body over the limit, by Content-Length and while streaming', async () => {
    const { app } = await loadedApp(modelNode(), 100);
    const big = JSON.stringify({ data: { ndarray: Array.from({ length: 100 }, (_, i) => i) } });
    const declared = await app.request('/predict', json(big, { 'content-length': String(big.length) }));
    expect(declared.status).toBe(413);
    expect((await bodyOf(declared)).status).toMatchObject({
      code: 413,
      reason: 'payload_too_large',
      info: `node "scorer": the request body is too large: the limit is 100 bytes, received ${big.length} bytes`,
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await app.request('/predict', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    const v2 = await app.request('/v2/models/scorer/infer', json(big));
    expect(v2.status).toBe(413);
    expect(await bodyOf(v2)).toEqual({ error: 'node "scorer": the request body is too large: the limit is 100 bytes, received more than 100 bytes' });
  });

  it('accepts a form-encoded json= body and GET ?json=', async () => {
    const { app } = await loadedApp();
    const form = await app.request('/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ json: JSON.stringify(tensorBody) }).toString(),
    });
    expect(await bodyOf(form)).toEqual({ data: { tensor: { shape: [1, 2], values: [2, 4] } }, meta: { puid: 'abc' } });
    const get = await app.request(`/predict?json=${encodeURIComponent(JSON.stringify(tensorBody))}`);
    expect(get.status).toBe(200);
    const noField = await app.request('/predict', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    expect((await bodyOf(noField)).status.info).toContain('the form-encoded body has no "json" field');
  });

  it('answers a handler error with its status and a protocol body; a plain error is a 500; the app keeps serving', async () => {
    const { log, lines } = createMemoryLogger('fn');
    let mode = 'input';
    const node = modelNode({
      async predict() {
        if (mode === 'input') throw Object.assign(new Error('data.ndarray: expected 4 columns'), { status: 400, field: 'data.ndarray' });
        if (mode === 'protocol') throw new ProtocolError('model closed', { status: 503, reason: 'closed' });
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const handle = createFunctionApp({ name: 'f', load: async () => node, log });
    await handle.ready;
    const bad = await handle.app.request('/predict', json(tensorBody));
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).status).toEqual({ code: 400, info: 'node "scorer": data.ndarray: expected 4 columns', reason: 'invalid_request', status: 'FAILURE' });
    mode = 'protocol';
    const closed = await handle.app.request('/predict', json(tensorBody));
    expect(closed.status).toBe(503);
    mode = 'crash';
    const crash = await handle.app.request('/predict', json(tensorBody));
    expect(crash.status).toBe(500);
    expect((await bodyOf(crash)).status.info).toBe('node "scorer": internal error: cannot read properties of undefined');
    expect(lines.some((l) => l.includes('request failed level=error path=/predict status=500'))).toBe(true);
    expect((await handle.app.request('/health/ping')).status).toBe(200);
  });

  it('routes feedback and aggregate bodies through their own parsers', async () => {
    const { app } = await loadedApp(modelNode({ aggregate: async (list) => ({ jsonData: list.seldonMessages.length }) }));
    expect(await (await app.request('/send-feedback', json({ request: { meta: { puid: 'f' } }, reward: 1 }))).json()).toEqual({ meta: { puid: 'f' } });
    expect(await (await app.request('/aggregate', json({ seldonMessages: [{ strData: 'a' }, { strData: 'b' }] }))).json()).toEqual({ jsonData: 2 });
    const badList = await app.request('/aggregate', json({ messages: [] }));
    expect((await bodyOf(badList)).status.info).toBe(
      'node "scorer": Invalid Seldon message list: seldonMessages: is required (expected array); messages: unknown field; expected one of "seldonMessages"',
    );
  });

  it('serves /metadata and a Seldon 404 for unknown paths', async () => {
    const { app } = await loadedApp();
    expect(await (await app.request('/metadata')).json()).toMatchObject({ name: 'scorer', platform: 'test' });
    const missing = await app.request('/nope');
    expect(missing.status).toBe(404);
    expect((await bodyOf(missing)).status.info).toBe(
      'node "scorer": no route for GET /nope; function "scorer-fn" serves POST /predict, POST /send-feedback, POST /v2/models/scorer/infer, GET /health/ping, /health/status, /metadata, /metrics',
    );
  });
});

describe('Open Inference Protocol', () => {
  it('round-trips an infer request through the Seldon handler', async () => {
    const { app } = await loadedApp();
    const res = await app.request(
      '/v2/models/scorer/infer',
      json({ id: 'r-1', inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [[1.5, 2]] }], outputs: [{ name: 'y' }] }),
    );
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual({
      model_name: 'scorer',
      id: 'r-1',
      outputs: [{ name: 'y', shape: [1, 2], datatype: 'FP32', data: [3, 4] }],
    });
  });

  it('serves the versioned path, and accepts the function name as the model name', async () => {
    const { app } = await loadedApp();
    const body = json({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2] }] });
    const versioned = await app.request('/v2/models/scorer/versions/1/infer', body);
    expect(await bodyOf(versioned)).toMatchObject({ model_name: 'scorer', model_version: '1' });
    expect((await app.request('/v2/models/scorer-fn/infer', json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }))).status).toBe(200);
    const wrongVersion = await app.request('/v2/models/scorer/versions/9/infer', json({ inputs: [] }));
    expect(wrongVersion.status).toBe(404);
    expect(await bodyOf(wrongVersion)).toEqual({ error: 'node "scorer": model "scorer" has no version "9"; available: 1' });
  });

  it('404s another model name, 400s invalid requests with V2 bodies', async () => {
    const { app } = await loadedApp();
    const other = await app.request('/v2/models/other/infer', json({ inputs: [] }));
    expect(other.status).toBe(404);
    expect(await bodyOf(other)).toEqual({ error: 'node "scorer": model "other" is not served here; this function serves model "scorer"' });
    const invalid = await app.request('/v2/models/scorer/infer', json({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'INT322', data: [1, 2, 3] }] }));
    expect(invalid.status).toBe(400);
    expect((await bodyOf(invalid)).error).toContain('inputs[0].datatype: unsupported datatype string "INT322" (did you mean INT32?)');
    const malformed = await app.request('/v2/models/scorer/infer', json('{'));
    expect(malformed.status).toBe(400);
    expect((await bodyOf(malformed)).error).toMatch(/the request body is not valid JSON/);
    const unknown = await app.request('/v2/nope');
    expect(unknown.status).toBe(404);
    expect(await bodyOf(unknown)).toHaveProperty('error');
  });

  it('serves model metadata, readiness and server metadata', async () => {
    const { app } = await loadedApp();
    expect(await (await app.request('/v2/models/scorer')).json()).toEqual({
      name: 'scorer',
      versions: ['1'],
      platform: 'test',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    });
    expect((await app.request('/v2/models/scorer/versions/1')).status).toBe(200);
    expect((await app.request('/v2/models/scorer/versions/2')).status).toBe(404);
    expect(await (await app.request('/v2/models/scorer/versions/1/ready')).json()).toEqual({ name: 'scorer', ready: true });
    expect((await app.request('/v2/models/other/ready')).status).toBe(404);
    expect(await (await app.request('/v2')).json()).toEqual({ name: 'scorer-fn', version: '0.1.0', extensions: ['binary_tensor_data'] });
  });

  it('uses transformInput when the node has no predict, and 404s infer on a router', async () => {
    const transformer = await loadedApp({
      name: 't',
      handlers: { transformInput: async (m) => ({ strData: `seen ${m.strData}` }), metadata: async () => ({ name: 't', platform: 'x', inputs: [], outputs: [] }) },
    });
    const res = await transformer.app.request('/v2/models/t/infer', json({ inputs: [{ name: 's', shape: [1], datatype: 'BYTES', data: ['hi'] }] }));
    expect(await bodyOf(res)).toEqual({ model_name: 't', outputs: [{ name: 'output-0', shape: [1], datatype: 'BYTES', data: ['seen hi'] }] });
    const routerApp = await loadedApp({
      name: 'r',
      handlers: { route: async () => ({ data: { ndarray: [[0]] } }), metadata: async () => ({ name: 'r', platform: 'x', inputs: [], outputs: [] }) },
    });
    const none = await routerApp.app.request('/v2/models/r/infer', json({ inputs: [] }));
    expect(none.status).toBe(404);
    expect((await bodyOf(none)).error).toContain('no predict, transformInput or transformOutput handler');
  });

  it('refuses several inputs with a 400', async () => {
    const { app } = await loadedApp();
    const res = await app.request(
      '/v2/models/scorer/infer',
      json({ inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }, { name: 'b', shape: [1], datatype: 'FP32', data: [1] }] }),
    );
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error).toContain('expected exactly one input tensor, received 2 (a, b)');
  });
});

describe('/metrics', () => {
  it('exposes request counts, durations, in-flight, process metrics and custom metrics from its own registry', async () => {
    let sink: ((m: { key: string; type: 'COUNTER' | 'GAUGE' | 'TIMER'; value: number; tags?: Record<string, string> }[]) => void) | undefined;
    const node = { ...modelNode(), setMetricsSink: (s: typeof sink) => (sink = s) };
    const handle = await loadedApp(node as LoadedNode);
    const other = await loadedApp();
    await handle.app.request('/predict', json(tensorBody));
    await handle.app.request('/predict', json('{'));
    await handle.app.request('/v2/models/scorer/infer', json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }));
    await handle.app.request('/nope');
    sink?.([
      { key: 'my_counter', type: 'COUNTER', value: 2, tags: { a: 'b' } },
      { key: 'my_gauge', type: 'GAUGE', value: 7 },
      { key: 'my_timer', type: 'TIMER', value: 250 },
      { key: 'bad key', type: 'COUNTER', value: 1 },
      { key: 'process_cpu_user_seconds_total', type: 'COUNTER', value: 1 },
      { key: 'my_gauge', type: 'COUNTER', value: 1 },
    ]);
    const res = await handle.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('switchyard_node_requests_total{path="/predict",code="200"} 1');
    expect(text).toContain('switchyard_node_requests_total{path="/predict",code="400"} 1');
    expect(text).toContain('switchyard_node_requests_total{path="/v2/models/:name/infer",code="200"} 1');
    expect(text).toContain('switchyard_node_requests_total{path="unmatched",code="404"} 1');
    expect(text).toContain('switchyard_node_request_duration_seconds_count{path="/predict"} 2');
    expect(text).toContain('switchyard_node_inflight 0');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('my_counter{a="b"} 2');
    expect(text).toContain('my_gauge 7');
    expect(text).toContain('my_timer_sum 0.25');
    expect(text).not.toContain('bad key');
    const otherText = await (await other.app.request('/metrics')).text();
    expect(otherText).not.toContain('path="/predict"');
  });
});
