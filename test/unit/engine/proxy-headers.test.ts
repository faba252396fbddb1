import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFromRaw, headersOf } from '../../../runtime/engine/local/proxy.ts';

/** A real node:http server that hands back each request's rawHeaders, as the gateway sees them. */
let server: http.Server;
let port = 0;
const received: string[][] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(req.rawHeaders);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw header lines over a socket (so repeats and odd casing reach the server as written). */
function send(lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/p', headers: [...lines] as unknown as http.OutgoingHttpHeaders });
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      res.resume();
      res.on('end', () => resolve(received.at(-1)!));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('the headers the gateway passes to a replica', () => {
  it('read from node rawHeaders equal those read through the web Headers: repeats joined, names lower-cased, hop-by-hop dropped', async () => {
    const raw = await send([
      'Host', `127.0.0.1:${port}`,
      'Content-Type', 'application/json',
      'X-Switchyard-Node', 'good-model',
      'traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'Accept', 'application/json',
      'accept', 'text/plain',
      'Connection', 'keep-alive',
      'Keep-Alive', 'timeout=5',
      'Authorization', 'Bearer t',
      'Content-Length', '2',
    ]);
    const web = new Headers();
    for (let i = 0; i < raw.length; i += 2) web.append(raw[i]!, raw[i + 1]!);
    const fromRaw = headersFromRaw(raw);
    expect(fromRaw).toEqual(headersOf(new Request('http://gateway/p', { method: 'POST', headers: web, body: '{}' })));
    expect(fromRaw.accept).toBe('application/json, text/plain');
    expect(fromRaw['x-switchyard-node']).toBe('good-model');
    for (const dropped of ['connection', 'keep-alive', 'content-length', 'host']) expect(fromRaw).not.toHaveProperty(dropped);
  });

  it('skips HTTP/2 pseudo-headers', () => {
    expect(headersFromRaw([':path', '/p', ':method', 'POST', 'content-type', 'application/json'])).toEqual({ 'content-type': 'application/json' });
  });
});
