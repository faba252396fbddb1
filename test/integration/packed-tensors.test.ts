/**
 * Tensors between the orchestrator's node client and real functions (an onnxruntime model, a TypeScript
 * component) over real sockets: a recording proxy in between shows what travels on the wire.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformInput } from '../../examples/seed/components/features.ts';
import { loadComponentNode } from '../../runtime/component/load.ts';
import type { Component } from '../../runtime/component/types.ts';
import { createFunctionApp } from '../../runtime/host/app.ts';
import { serve, type ServerHandle } from '../../runtime/host/serve.ts';
import { loadOnnxNode } from '../../runtime/model/index.ts';
import { createNodeClient } from '../../runtime/orchestrator/node-client.ts';
import { PACKED_CONTENT_TYPE, PACKED_JSON_LENGTH_HEADER } from '../../runtime/protocol/packed-body.ts';
import { JsonFloat32Array } from '../../runtime/protocol/packed-values.ts';
import { irisFeatures } from '../../scripts/models/iris.ts';
import * as doubler from '../fixtures/components/doubler.ts';
import { componentNode } from '../fixtures/components/plan-node.ts';
import { IRIS_CLASSES, SEED_MODELS_DIR, modelFunction, onnxNode } from '../unit/model/helpers.ts';

interface Exchange {
  request: IncomingHttpHeaders;
  response: IncomingHttpHeaders;
}

/** Forwards every request to `port` as it is and notes the headers both ways. */
async function recordingProxy(port: number, seen: Exchange[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      seen.push({ request: req.headers, response: answer.headers });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const model = onnxNode('good-model', 'good.onnx', { classNames: IRIS_CLASSES });
const double = componentNode('double', 'MODEL', { parameters: { factor: 2 } });
/** 256 iris rows through the seed's feature transform: a [256, 4] tensor, 1024 numbers. */
const rows = transformInput(irisFeatures().slice(0, 128).concat(irisFeatures().slice(0, 128)));
const big = { meta: { puid: 'p-1', tags: { batch: true } }, data: { tensor: { shape: [rows.length, 4], values: rows.flat() } } };

describe('packed tensors between the node client and real functions', () => {
  const servers: ServerHandle[] = [];
  const proxies: Server[] = [];
  const seen: Exchange[] = [];
  let endpoints: Record<string, string>;
  let direct: Record<string, string>;
  beforeAll(async () => {
    endpoints = {};
    direct = {};
    const apps = {
      'good-model': createFunctionApp({ name: 'good-model', load: () => loadOnnxNode(model, modelFunction('good-model'), { bundleDir: SEED_MODELS_DIR }) }),
      double: createFunctionApp({ name: 'double', load: () => loadComponentNode(doubler as Component, double) }),
    };
    for (const [name, handle] of Object.entries(apps)) {
      const server = await serve(handle, { port: 0, hostname: '127.0.0.1' });
      await handle.ready;
      servers.push(server);
      const proxy = await recordingProxy(server.port, seen);
      proxies.push(proxy.server);
      endpoints[name] = proxy.url;
      direct[name] = `http://127.0.0.1:${server.port}`;
    }
  });
  afterAll(async () => {
    for (const proxy of proxies) proxy.close();
    await Promise.all(servers.map((s) => s.close(1000)));
  });

  const plainJson = async (fn: string, body: unknown) => {
    const response = await fetch(`${direct[fn]}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.headers.get('content-type')).toContain('application/json');
    return (await response.json()) as any;
  };

  it('sends a large tensor to a model packed, gets the probabilities back packed, equal to the JSON answer', async () => {
    seen.length = 0;
    const client = createNodeClient({ endpoints });
    const answer = await client.call(model, '/predict', big);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request['content-type']).toBe(PACKED_CONTENT_TYPE);
    expect(Number(seen[0]!.request[PACKED_JSON_LENGTH_HEADER])).toBeGreaterThan(0);
    expect(seen[0]!.response['content-type']).toBe(PACKED_CONTENT_TYPE);
    const values = answer.data!.tensor!.values;
    expect(values).toBeInstanceOf(JsonFloat32Array);
    expect(answer.data!.tensor!.shape).toEqual([256, 3]);
    expect(answer.meta).toMatchObject({ puid: 'p-1', tags: { batch: true } });
    expect(answer.data!.names).toEqual(IRIS_CLASSES);
    // The same request as plain JSON, straight to the function: the same numbers.
    const json = await plainJson('good-model', big);
    expect(JSON.parse(JSON.stringify(answer))).toEqual(json);
  });

  it('keeps a small request JSON (readable), while the answer still comes back packed', async () => {
    seen.length = 0;
    const client = createNodeClient({ endpoints });
    const small = { data: { tensor: { shape: [1, 4], values: rows[0]! } } };
    const answer = await client.call(model, '/predict', small);
    expect(seen[0]!.request['content-type']).toBe('application/json');
    expect(seen[0]!.response['content-type']).toBe(PACKED_CONTENT_TYPE);
    expect(JSON.parse(JSON.stringify(answer))).toEqual(await plainJson('good-model', small));
  });

  it('gives a TypeScript component plain number arrays and packs what it returns', async () => {
    seen.length = 0;
    const client = createNodeClient({ endpoints });
    const answer = await client.call(double, '/predict', big);
    expect(seen[0]!.request['content-type']).toBe(PACKED_CONTENT_TYPE);
    expect(seen[0]!.response['content-type']).toBe(PACKED_CONTENT_TYPE);
    expect(Array.from(answer.data!.tensor!.values)).toEqual(big.data.tensor.values.map((v) => v * 2));
    expect(JSON.parse(JSON.stringify(answer))).toEqual(await plainJson('double', big));
  });

  it('answers a malformed packed body with a 400 that names the header, and keeps serving', async () => {
    const bad = await fetch(`${direct['good-model']}/predict`, {
      method: 'POST',
      headers: { 'content-type': PACKED_CONTENT_TYPE, [PACKED_JSON_LENGTH_HEADER]: '999999' },
      body: '{"data":{}}',
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as any;
    expect(body.status.info).toMatch(/x-switchyard-json-length: expected the length in bytes of the JSON/);
    const client = createNodeClient({ endpoints });
    const answer = await client.call(model, '/predict', big);
    expect(answer.data!.tensor!.shape).toEqual([256, 3]);
  });
});
