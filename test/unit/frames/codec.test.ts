import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame, FrameError, FrameReader, headerList, headerRecord, requestHead, responseHead, type RequestHead } from '../../../runtime/frames/codec.ts';

const join = (chunks: Uint8Array[]) => Buffer.concat(chunks);

describe('frame codec', () => {
  it('reads back what it wrote: id, head and body bytes', () => {
    const body = Buffer.from([0, 1, 2, 255, 254]);
    const frames = new FrameReader().push(join(encodeFrame(7, { m: 'POST', p: '/predict?x=1', h: ['content-type', 'application/json'] }, body)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.id).toBe(7);
    expect(frames[0]!.head).toEqual({ m: 'POST', p: '/predict?x=1', h: ['content-type', 'application/json'] });
    expect([...frames[0]!.body]).toEqual([0, 1, 2, 255, 254]);
  });

  it('sends a body given as chunks or as a string without changing its bytes', () => {
    const chunks = [Buffer.from('{"a":'), Buffer.from('"é"}')];
    const [fromChunks] = new FrameReader().push(join(encodeFrame(1, { s: 200, h: [] }, chunks)));
    const [fromString] = new FrameReader().push(join(encodeFrame(2, { s: 200, h: [] }, '{"a":"é"}')));
    const [empty] = new FrameReader().push(join(encodeFrame(3, { s: 204, h: [] }, undefined)));
    expect(fromChunks!.body.toString('utf8')).toBe('{"a":"é"}');
    expect(fromString!.body.toString('utf8')).toBe('{"a":"é"}');
    expect(empty!.body.byteLength).toBe(0);
  });

  it('cuts any stream of frames into the same frames, however the reads split it', () => {
    const frameArb = fc.record({
      id: fc.integer({ min: 0, max: 0xffffffff }),
      path: fc.string({ maxLength: 30 }),
      body: fc.uint8Array({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }), (frames, cuts) => {
        const stream = join(frames.flatMap((f) => encodeFrame(f.id, { m: 'POST', p: f.path, h: [] }, f.body)));
        const reader = new FrameReader();
        const read = [];
        let offset = 0;
        let cut = 0;
        while (offset < stream.byteLength) {
          const size = cuts[cut++ % cuts.length]!;
          read.push(...reader.push(stream.subarray(offset, offset + size)));
          offset += size;
        }
        expect(read.map((f) => ({ id: f.id, path: (f.head as RequestHead).p, body: [...f.body] }))).toEqual(frames.map((f) => ({ id: f.id, path: f.path, body: [...f.body] })));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a stream that is not frames: a length out of bounds, a head that is not JSON', () => {
    const huge = Buffer.alloc(12);
    huge.writeUInt32LE(0xffffffff, 0);
    expect(() => new FrameReader().push(huge)).toThrow(FrameError);
    expect(() => new FrameReader().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/a frame declares/);
    const bad = join(encodeFrame(1, { s: 200, h: [] }, undefined));
    bad.write('x', 12);
    expect(() => new FrameReader().push(bad)).toThrow(/head that is not JSON/);
  });

  it('checks heads: a request needs method, path and headers; a response a status and headers', () => {
    expect(requestHead({ m: 'GET', p: '/', h: [] })).toEqual({ m: 'GET', p: '/', h: [] });
    expect(() => requestHead({ m: 'GET', h: [] })).toThrow(/\{m, p, h\}/);
    expect(() => responseHead({ s: '200', h: [] })).toThrow(/\{s, h\}/);
  });

  it('carries headers as a flat list, read back lower-cased with repeats joined as fetch does', () => {
    expect(headerList({ a: '1', 'x-b': '2' })).toEqual(['a', '1', 'x-b', '2']);
    expect(headerRecord(['Content-Type', 'application/json', 'X-A', '1', 'x-a', '2'])).toEqual({ 'content-type': 'application/json', 'x-a': '1, 2' });
  });
});
