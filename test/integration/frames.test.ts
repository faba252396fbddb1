/**
 * The frame transport over real Unix sockets: a FrameClient against serveFrames, and a function's Hono app
 * served through frameHandler.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { FrameClient } from '../../runtime/frames/client.ts';
import { serveFrames, type FrameHandler, type FrameServerHandle } from '../../runtime/frames/server.ts';
import { frameHandler } from '../../runtime/host/frame-app.ts';
import { readBodyText } from '../../runtime/host/_body.ts';

let dir: string;
const servers: FrameServerHandle[] = [];
const clients: FrameClient[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frames-test-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close(100);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(handler: FrameHandler, name = 'a.sock') {
  const server = await serveFrames(path.join(dir, name), handler);
  servers.push(server);
  const client = new FrameClient(server.socketPath);
  clients.push(client);
  return { server, client };
}

const call = (client: FrameClient, p: string, body?: string, timeoutMs?: number) =>
  client.call({ method: 'POST', path: p, headers: { 'content-type': 'text/plain' }, body, ...(timeoutMs === undefined ? {} : { timeoutMs }) });

describe('frame transport', () => {
  it('answers many calls in flight on one connection, each with its own answer, in whatever order they finish', async () => {
    const { client } = await start(async (request) => {
      const n = Number(request.path.slice(1));
      // Later calls finish first.
      await new Promise((resolve) => setTimeout(resolve, (50 - n) % 7));
      return { status: 200 + (n % 3), headers: { 'x-n': String(n), 'x-method': request.method }, body: `${request.body.toString('utf8')}:${n}` };
    });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => call(client, `/${n}`, `body${n}`)));
    answers.forEach((answer, n) => {
      expect(answer.status).toBe(200 + (n % 3));
      expect(answer.headers['x-n']).toBe(String(n));
      expect(answer.headers['x-method']).toBe('POST');
      expect(answer.body.toString('utf8')).toBe(`body${n}:${n}`);
    });
  });

  it('carries a large body in both directions byte for byte', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const { client } = await start((request) => ({ status: 200, headers: {}, body: [request.body, Buffer.from('!')] }));
    const answer = await client.call({ method: 'POST', path: '/', headers: {}, body: [big.subarray(0, 1000), big.subarray(1000)] });
    expect(answer.body.byteLength).toBe(big.length + 1);
    expect(answer.body.subarray(0, big.length).equals(big)).toBe(true);
  });

  it('answers 500 with the message when the handler fails, and goes on serving', async () => {
    const { client } = await start((request) => {
      if (request.path === '/throw') throw new Error('handler broke');
      if (request.path === '/reject') return Promise.reject(new Error('handler rejected'));
      return { status: 200, headers: {}, body: 'ok' };
    });
    const thrown = await call(client, '/throw');
    expect(thrown.status).toBe(500);
    expect(thrown.body.toString()).toContain('handler broke');
    expect((await call(client, '/reject')).body.toString()).toContain('handler rejected');
    expect((await call(client, '/fine')).body.toString()).toBe('ok');
  });

  it('times a call out with a TimeoutError and drops its late answer', async () => {
    const { client } = await start(async (request) => {
      if (request.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 200));
      return { status: 200, headers: {}, body: request.path };
    });
    await expect(call(client, '/slow', undefined, 30)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await call(client, '/fast')).body.toString()).toBe('/fast');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(client.inflight).toBe(0);
  });

  it("tells the server when a caller gives up: the call's signal aborts, on a timeout and on the caller's own abort", async () => {
    const aborted: string[] = [];
    const { client } = await start(
      (request) =>
        new Promise((resolve) => {
          request.signal.addEventListener('abort', () => {
            aborted.push(`${request.path} ${(request.signal.reason as Error).name}`);
            resolve({ status: 499, headers: {}, body: 'gone' });
          });
        }),
    );
    await expect(call(client, '/timed-out', undefined, 30)).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const pending = client.call({ method: 'POST', path: '/aborted', headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 20);
    await expect(pending).rejects.toThrow('caller left');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted.sort()).toEqual(['/aborted AbortError', '/timed-out AbortError']);
    expect(client.inflight).toBe(0);
  });

  it('rejects the calls in flight with the connection error when the peer goes away, and reconnects for the next call', async () => {
    const socketPath = path.join(dir, 'b.sock');
    const hang: FrameHandler = () => new Promise(() => undefined);
    let server = await serveFrames(socketPath, hang);
    const client = new FrameClient(socketPath);
    clients.push(client);
    const pending = call(client, '/hangs');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close(10);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(call(client, '/nobody')).rejects.toMatchObject({ code: expect.stringMatching(/ENOENT|ECONNREFUSED/) });
    server = await serveFrames(socketPath, () => ({ status: 200, headers: {}, body: 'back' }));
    servers.push(server);
    expect((await call(client, '/again')).body.toString()).toBe('back');
  });

  it('closes the connection of a peer that does not speak frames, and keeps serving others', async () => {
    const { server, client } = await start(() => ({ status: 200, headers: {}, body: 'ok' }));
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect(server.socketPath, () => socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
    });
    expect(closed).toBe(true);
    expect((await call(client, '/')).status).toBe(200);
  });

  it('lets the calls in flight answer when closing', async () => {
    const { server, client } = await start(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { status: 200, headers: {}, body: 'finished' };
    });
    const pending = call(client, '/');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.inflight()).toBe(1);
    await server.close(2000);
    expect((await pending).body.toString()).toBe('finished');
    expect(fs.existsSync(server.socketPath)).toBe(false);
  });
});

describe('a function app over frames', () => {
  it('sees method, path, query, headers and body as over HTTP, with Content-Length set to the body size', async () => {
    const app = new Hono();
    app.post('/echo', async (c) =>
      c.json({
        url: c.req.url,
        query: c.req.query('q'),
        contentType: c.req.header('content-type'),
        contentLength: c.req.header('content-length'),
        node: c.req.header('x-switchyard-node'),
        body: await c.req.text(),
      }),
    );
    const { client } = await start(frameHandler(app));
    const answer = await client.call({
      method: 'POST',
      path: '/echo?q=1',
      // A wrong Content-Length from the caller is replaced by the real one.
      headers: { 'content-type': 'application/json', 'content-length': '999', 'x-switchyard-node': 'n1' },
      body: '{"a":1}',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(answer.body.toString())).toEqual({ url: 'http://localhost/echo?q=1', query: '1', contentType: 'application/json', contentLength: '7', node: 'n1', body: '{"a":1}' });
  });

  it("applies the function's body limit as over HTTP (413), and answers unknown routes as the app does (404)", async () => {
    const app = new Hono();
    app.post('/limited', async (c) => {
      try {
        return c.text(await readBodyText(c.req.raw, 10));
      } catch (error) {
        return c.text((error as Error).message, (error as { status?: number }).status as 413);
      }
    });
    const { client } = await start(frameHandler(app));
    const refused = await call(client, '/limited', 'x'.repeat(11));
    expect(refused.status).toBe(413);
    expect(refused.body.toString()).toContain('the limit is 10 bytes');
    expect((await call(client, '/limited', 'x'.repeat(10))).body.toString()).toBe('x'.repeat(10));
    expect((await call(client, '/nowhere')).status).toBe(404);
  });
});
