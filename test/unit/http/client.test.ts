/** The keep-alive HTTP client between Switchyard's own processes, against a real node:http server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeepAliveAgent, httpCall, keepAliveFetch, plainHeaders } from '../../../runtime/http/client.ts';

let server: http.Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      res.setHeader('x-method', req.method ?? '');
      res.setHeader('x-length', req.headers['content-length'] ?? 'none');
      res.setHeader('x-chunked', req.headers['transfer-encoding'] ?? 'no');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpCall', () => {
  it('sends the body with Content-Length in one piece and returns status, headers and body', async () => {
    const agent = createKeepAliveAgent();
    const answer = await httpCall(agent, '127.0.0.1', port, { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"é":1}' });
    expect(answer.status).toBe(200);
    expect(answer.body.toString('utf8')).toBe('{"é":1}');
    expect(answer.headers['x-length']).toBe(String(Buffer.byteLength('{"é":1}')));
    expect(answer.headers['x-chunked']).toBe('no');
    agent.destroy();
  });

  it('reuses one connection for calls one after another', async () => {
    const agent = createKeepAliveAgent();
    const before = connections;
    for (let i = 0; i < 5; i++) await httpCall(agent, '127.0.0.1', port, { method: 'POST', path: '/echo', headers: {}, body: new Uint8Array([i]) });
    expect(connections - before).toBe(1);
    agent.destroy();
  });

  it('gives up after timeoutMs with a TimeoutError', async () => {
    const agent = createKeepAliveAgent();
    const error = await httpCall(agent, '127.0.0.1', port, { method: 'GET', path: '/slow', headers: {}, timeoutMs: 50 }).catch((e: Error) => e);
    expect((error as Error).name).toBe('TimeoutError');
    agent.destroy();
  });

  it('fails with the connection error when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpCall(createKeepAliveAgent(), '127.0.0.1', freePort, { method: 'GET', path: '/', headers: {} }).catch((e: NodeJS.ErrnoException) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});

describe('keepAliveFetch', () => {
  const fetchLike = keepAliveFetch();

  it('answers with a Response: status, headers, body', async () => {
    const response = await fetchLike(`http://127.0.0.1:${port}/missing`, { method: 'PUT', headers: { 'x-a': 'b' }, body: 'hello' });
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(response.headers.get('x-method')).toBe('PUT');
    expect(await response.text()).toBe('hello');
  });

  it('honours AbortSignal.timeout, rejecting with its TimeoutError', async () => {
    const error = await fetchLike(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: Error) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('leaves what it does not handle to the global fetch', async () => {
    const response = await fetchLike('data:text/plain,hi');
    expect(await response.text()).toBe('hi');
  });
});

describe('plainHeaders', () => {
  it('joins repeated headers and drops the ones asked', () => {
    expect(plainHeaders({ 'set-cookie': ['a=1', 'b=2'], vary: 'x', connection: 'keep-alive' }, new Set(['connection']))).toEqual({ 'set-cookie': 'a=1, b=2', vary: 'x' });
  });
});
