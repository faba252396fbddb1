/**
 * `LiteResponse` against Node's own `Response`, for the bodies functions answer with, and the hand-over to Node's
 * class for everything else.
 */
import { describe, expect, it } from 'vitest';
import { LiteHeaders } from '../../../runtime/host/lite-fetch/headers.ts';
import { LiteResponse } from '../../../runtime/host/lite-fetch/response.ts';

const BODIES: Array<[string, () => unknown]> = [
  ['no body', () => null],
  ['a string', () => 'héllo …'],
  ['a Uint8Array', () => new Uint8Array([1, 2, 250])],
  ['a Buffer', () => Buffer.from('buffered')],
  ['an ArrayBuffer', () => new Uint8Array([7, 8]).buffer],
  ['a Float32Array view', () => new Float32Array([1.5, -2])],
  ['URLSearchParams', () => new URLSearchParams({ json: '{"a":1}' })],
];

async function observe(make: (body: unknown, init: ResponseInit) => LiteResponse | Response, body: unknown, init: ResponseInit) {
  const r = make(body, init);
  const fields = { status: r.status, statusText: r.statusText, ok: r.ok, type: r.type, url: r.url, redirected: r.redirected, headers: [...r.headers.entries()], bodyNull: r.body === null };
  const copy = r.clone();
  const bytes = [...new Uint8Array(await r.arrayBuffer())];
  const again = await r.text().then(() => 'read twice', (e: Error) => e.constructor.name);
  const text = await copy.text();
  return { fields, bytes, again, text, used: r.bodyUsed };
}

describe('LiteResponse', () => {
  it.each(BODIES)('with %s answers like Response: fields, default content type, bytes, text, one read only, clone', async (_label, body) => {
    const init = { status: 201, statusText: 'Made', headers: { 'X-Trace': 'abc' } };
    expect(await observe((b, i) => new LiteResponse(b, i as never), body(), init)).toEqual(await observe((b, i) => new Response(b as ConstructorParameters<typeof Response>[0], i), body(), init));
  });

  it('Response.json sets application/json unless given, and refuses what is not JSON', async () => {
    for (const init of [undefined, { status: 404, headers: { 'content-type': 'application/problem+json' } }]) {
      const lite = LiteResponse.json({ a: [1, 'x'] }, init);
      const native = Response.json({ a: [1, 'x'] }, init);
      expect([lite.status, [...lite.headers], await lite.json()]).toEqual([native.status, [...native.headers], await native.json()]);
    }
    expect(() => LiteResponse.json(undefined)).toThrow(TypeError);
    expect(() => Response.json(undefined)).toThrow(TypeError);
  });

  it('refuses a status outside 200–599 and a body on a null-body status, as Response does', () => {
    for (const status of [100, 199, 600, 2.5]) {
      expect(() => new Response(null, { status })).toThrow(RangeError);
      expect(() => new LiteResponse(null, { status })).toThrow(RangeError);
    }
    for (const status of [204, 205, 304]) {
      expect(() => new Response('x', { status })).toThrow(TypeError);
      expect(() => new LiteResponse('x', { status })).toThrow(TypeError);
      expect(new LiteResponse(null, { status }).status).toBe(status);
    }
    expect(() => new LiteResponse(null, { statusText: 'a\nb' })).toThrow(TypeError);
  });

  it("gives its bytes as a stream, and a response made from that stream (Hono's re-wrap) takes the bytes", async () => {
    const first = new LiteResponse('streamed', { status: 202, headers: { 'content-type': 'text/x' } });
    const stream = first.body!;
    expect(first.body).toBe(stream);
    const second = new LiteResponse(stream, first);
    // The second owns the bytes now: the first's stream is locked and the first cannot be read or cloned.
    expect(first.body?.locked).toBe(true);
    await expect(first.text()).rejects.toThrow(TypeError);
    expect(() => first.clone()).toThrow(TypeError);
    expect(LiteResponse.take(second)).toMatchObject({ status: 202, body: 'streamed' });
    expect([...second.headers]).toEqual([['content-type', 'text/x']]);

    const read = new LiteResponse(new Uint8Array([1, 2, 3]));
    const chunks: number[] = [];
    for await (const chunk of read.body!) chunks.push(...chunk);
    expect(chunks).toEqual([1, 2, 3]);
    expect(read.bodyUsed).toBe(true);
    expect(LiteResponse.take(read)).toBeUndefined();
  });

  it('hands any other body to Node\'s Response: a Blob, a foreign stream, FormData', async () => {
    const blob = new LiteResponse(new Blob(['blob body'], { type: 'text/blob' }), { status: 203 });
    expect([blob.status, blob.headers.get('content-type'), await blob.text()]).toEqual([203, 'text/blob', 'blob body']);
    expect(LiteResponse.take(blob)).toBeUndefined();
    const foreign = new LiteResponse(new Response('from a stream').body);
    expect(await foreign.text()).toBe('from a stream');
    const form = new FormData();
    form.set('a', '1');
    expect((await new LiteResponse(form).formData()).get('a')).toBe('1');
    expect(await new LiteResponse(new URLSearchParams({ b: '2' })).formData().then((f) => f.get('b'))).toBe('2');
  });

  it('take() gives a server the status, headers and unread body once', () => {
    const r = new LiteResponse(new Uint8Array([9]), { status: 299, headers: new LiteHeaders([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]) });
    const parts = LiteResponse.take(r)!;
    expect(parts.status).toBe(299);
    expect(parts.body).toEqual(new Uint8Array([9]));
    expect(parts.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(r.bodyUsed).toBe(true);
    expect(LiteResponse.take(r)).toBeUndefined();
    expect(LiteResponse.take(new Response('native'))).toBeUndefined();
  });
});
