/**
 * The node:http request listener in front of a fetch-style app, over real sockets: lite and Node responses,
 * request bodies whole and streamed, malformed requests, failures, unread bodies on keep-alive, client aborts.
 */
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LiteHeaders } from '../../../runtime/host/lite-fetch/headers.ts';
import type { IncomingRequest } from '../../../runtime/host/lite-fetch/request.ts';
import { LiteResponse } from '../../../runtime/host/lite-fetch/response.ts';
import { requestListener } from '../../../runtime/host/request-listener.ts';

type App = (request: IncomingRequest, env: { incoming: unknown; outgoing: unknown }) => unknown;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)).finally(() => s.closeAllConnections())));
});

async function listen(app: App): Promise<number> {
  const server = createServer(requestListener({ fetch: (request, env) => app(request as unknown as IncomingRequest, env as never) as Response }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  socketPort: number | undefined;
}

function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: string[]; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {}, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socketPort: res.socket?.localPort }));
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

/** Sends raw bytes and returns the raw answer (up to the server closing or `settleMs`). */
function raw(port: number, text: string, settleMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('error', reject);
    const timer = setTimeout(() => socket.destroy(), settleMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('requestListener', () => {
  it('writes a LiteResponse directly: status, headers, cookies, length; keep-alive carries the next request', async () => {
    const port = await listen((request) => {
      const headers = new LiteHeaders([['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      return new LiteResponse(JSON.stringify({ method: request.method, url: request.url, accept: request.headers.get('accept') }), { status: 201, statusText: 'Made', headers });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(port, { path: '/a/b?x=1', headers: { accept: 'x/y' }, agent });
    const second = await send(port, { path: '/c', agent });
    agent.destroy();
    expect(first.status).toBe(201);
    expect(JSON.parse(first.body)).toEqual({ method: 'GET', url: `http://127.0.0.1:${port}/a/b?x=1`, accept: 'x/y' });
    expect(first.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    expect(first.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(first.headers.connection).toBe('keep-alive');
    expect(second.socketPort).toBe(first.socketPort);
  });

  it("streams any other Response's body, in order, and answers HEAD without a body", async () => {
    const port = await listen((request) => {
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const part of ['one ', 'two ', 'three']) {
            controller.enqueue(new TextEncoder().encode(part));
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          controller.close();
        },
      });
      if (request.method === 'HEAD') return new LiteResponse(null, { headers: { 'content-length': '13' } });
      return new Response(stream, { headers: [['x-kind', 'native'], ['set-cookie', 'c=3'], ['set-cookie', 'd=4']] });
    });
    const streamed = await send(port, {});
    expect([streamed.status, streamed.body, streamed.headers['x-kind'], streamed.headers['transfer-encoding']]).toEqual([200, 'one two three', 'native', 'chunked']);
    expect(streamed.headers['set-cookie']).toEqual(['c=3', 'd=4']);
    const head = await send(port, { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '13']);
  });

  it('gives the app the body whole (declared length) or as a stream (chunked), and its node:http objects', async () => {
    const port = await listen(async (request, env) => {
      const text = request.headers.has('content-length') ? await request.text() : await new Response(request.body).text();
      return LiteResponse.json({ text, used: request.bodyUsed, env: Object.keys(env).sort() });
    });
    expect(JSON.parse((await send(port, { method: 'POST', body: '{"whole":true}', headers: { 'content-type': 'application/json' } })).body)).toEqual({ text: '{"whole":true}', used: true, env: ['incoming', 'outgoing'] });
    expect(JSON.parse((await send(port, { method: 'POST', chunks: ['part 1, ', 'part 2'] })).body).text).toBe('part 1, part 2');
    expect(JSON.parse((await send(port, { method: 'POST' })).body).text).toBe('');
  });

  it('answers 400 naming the problem for a request without a usable URL, and never calls the app', async () => {
    let called = 0;
    const port = await listen(() => {
      called++;
      return new LiteResponse('ok');
    });
    const noHost = await raw(port, 'GET / HTTP/1.0\r\n\r\n');
    expect(noHost).toMatch(/^HTTP\/1\.1 400 /);
    expect(noHost).toContain('bad request: the request has no Host header');
    expect(await raw(port, 'GET /a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toContain('the request path contains a backslash');
    expect(await raw(port, 'GET /x HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    const normalized = await raw(port, 'GET /a/../b HTTP/1.1\r\nHost: X.example:8080\r\nConnection: close\r\n\r\n');
    expect(normalized).toMatch(/^HTTP\/1\.1 200 /);
    expect(called).toBe(1);
  });

  it('answers 500 when the app throws, rejects or answers with a header node:http refuses', async () => {
    const port = await listen((request) => {
      if (request.url.endsWith('/throw')) throw new Error('boom');
      if (request.url.endsWith('/reject')) return Promise.reject(new Error('boom'));
      if (request.url.endsWith('/timeout')) return Promise.reject(Object.assign(new Error('slow'), { name: 'TimeoutError' }));
      return new Response('x', { headers: { 'x-bad': 'a\x01b' } });
    });
    expect((await send(port, { path: '/throw' })).status).toBe(500);
    expect((await send(port, { path: '/reject' })).status).toBe(500);
    expect((await send(port, { path: '/timeout' })).status).toBe(504);
    const refused = await send(port, { path: '/bad-header' });
    expect([refused.status, refused.body]).toEqual([500, 'internal server error\n']);
  });

  it('drains a body the app did not read, so the keep-alive connection serves the next request', async () => {
    const port = await listen((request) => new LiteResponse(request.method === 'POST' ? 'not read' : 'next', { status: request.method === 'POST' ? 404 : 200 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(port, { method: 'POST', body: Buffer.alloc(1024 * 1024, 1), agent });
    const second = await send(port, { agent });
    agent.destroy();
    expect([first.status, second.status, second.body]).toEqual([404, 200, 'next']);
    expect(second.socketPort).toBe(first.socketPort);
  });

  it("aborts the request's signal when the client goes away before the answer", async () => {
    let aborted: (reason: unknown) => void = () => {};
    const reason = new Promise((resolve) => (aborted = resolve));
    const port = await listen(
      (request) =>
        new Promise(() => {
          request.signal.addEventListener('abort', () => aborted((request.signal.reason as Error).message));
        }),
    );
    await raw(port, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n', 100);
    expect(await reason).toBe('the client closed the connection before the answer was sent');
  });
});
