import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFunctionApp } from '../../../runtime/host/app.ts';
import { serve, type ServerHandle } from '../../../runtime/host/serve.ts';
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { deferred, modelNode } from './_nodes.ts';

const servers: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(1000)));
});

function post(port: number, path: string, body: string, agent?: Agent): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, ...(agent ? { agent } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('serve over a real socket', () => {
  it('listens on port 0, reports the real port, and answers Seldon and V2 requests with keep-alive', async () => {
    const handle = createFunctionApp({ name: 'fn', load: async () => modelNode() });
    const server = await serve(handle, { port: 0, hostname: '127.0.0.1' });
    servers.push(server);
    expect(server.port).toBeGreaterThan(0);
    await handle.ready;

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const predict = await post(server.port, '/predict', JSON.stringify({ data: { tensor: { shape: [2], values: [1, 2] } } }), agent);
    expect(predict.status).toBe(200);
    expect(JSON.parse(predict.body)).toEqual({ data: { tensor: { shape: [2], values: [2, 4] } } });
    expect(predict.headers['connection']).toBe('keep-alive');
    const infer = await post(server.port, '/v2/models/scorer/infer', JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [3] }] }), agent);
    expect(JSON.parse(infer.body)).toEqual({ model_name: 'scorer', outputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [6] }] });
    const malformed = await post(server.port, '/predict', '{not json', agent);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).status.reason).toBe('invalid_json');
    agent.destroy();

    const ping = await fetch(`http://127.0.0.1:${server.port}/health/ping`);
    expect(await ping.text()).toBe('pong');
  });

  it('close() lets an in-flight request finish', async () => {
    const release = deferred<void>();
    const started = deferred<void>();
    const handle = createFunctionApp({
      name: 'fn',
      load: async () =>
        modelNode({
          async predict(message: SeldonMessage) {
            started.resolve();
            await release.promise;
            return message;
          },
        }),
    });
    const server = await serve(handle, { port: 0, hostname: '127.0.0.1' });
    await handle.ready;
    const inflight = post(server.port, '/predict', JSON.stringify({ strData: 'x' }));
    await started.promise;
    await handle.drain(0);
    const closed = server.close(5000);
    release.resolve();
    expect((await inflight).status).toBe(200);
    await closed;
    await expect(fetch(`http://127.0.0.1:${server.port}/health/ping`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const handle = createFunctionApp({ name: 'fn', load: async () => modelNode() });
    const first = await serve(handle, { port: 0, hostname: '127.0.0.1' });
    servers.push(first);
    await expect(serve(handle, { port: first.port, hostname: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
  });
});
