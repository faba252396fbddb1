import { describe, expect, it } from 'vitest';
import { PACK_MIN_VALUES, packBody, unpackBody, withJsonSafeValues, withPlainValues } from '../../../runtime/protocol/packed-body.ts';
import { JsonFloat32Array, JsonFloat64Array } from '../../../runtime/protocol/packed-values.ts';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { decodeBinaryRequestBody } from '../../../runtime/protocol/v2-binary.ts';
import { encodeRawTensor } from '../../../runtime/protocol/v2-raw.ts';
import { parseInferenceRequest } from '../../../runtime/protocol/v2-request.ts';
import { inferenceRequestToSeldon } from '../../../runtime/protocol/v2-seldon.ts';

const ramp = (n: number, scale = 0.1) => Array.from({ length: n }, (_, i) => i * scale - 3);

function roundTrip(body: unknown): any {
  const packed = packBody(body);
  expect(packed, 'expected the body to be packed').toBeDefined();
  return unpackBody(packed!.bytes, String(packed!.headerLength));
}

describe('packed Seldon bodies', () => {
  it('carries a Float32Array tensor as its bytes and gives back a JSON-safe Float32Array over them', () => {
    const values = Float32Array.from(ramp(10));
    const out = roundTrip({ meta: { puid: 'p1', tags: { a: 1 } }, data: { names: ['x'], tensor: { shape: [2, 5], values } } });
    expect(out.meta).toEqual({ puid: 'p1', tags: { a: 1 } });
    expect(out.data.names).toEqual(['x']);
    expect(out.data.tensor.shape).toEqual([2, 5]);
    expect(out.data.tensor.values).toBeInstanceOf(JsonFloat32Array);
    expect(Array.from(out.data.tensor.values)).toEqual(Array.from(values));
    // Written as JSON it is the plain array, not an object keyed by index.
    expect(JSON.parse(JSON.stringify(out)).data.tensor.values).toEqual(Array.from(values));
  });

  it('packs long number arrays as FP64, so that no number changes, and leaves short ones as JSON', () => {
    const long = ramp(PACK_MIN_VALUES, 0.123456789);
    const out = roundTrip({ data: { tensor: { shape: [long.length], values: long } } });
    expect(out.data.tensor.values).toBeInstanceOf(JsonFloat64Array);
    expect(Array.from(out.data.tensor.values)).toEqual(long);
    expect(packBody({ data: { tensor: { shape: [4], values: [1, 2, 3, 4] } } })).toBeUndefined();
    expect(packBody({ strData: 'hello' })).toBeUndefined();
  });

  it('leaves arrays with a non-number in them to JSON, so that the receiver names the bad value', () => {
    const values: unknown[] = ramp(PACK_MIN_VALUES);
    values[7] = 'seven';
    expect(packBody({ data: { tensor: { shape: [values.length], values } } })).toBeUndefined();
  });

  it('packs every message of an /aggregate list and of a feedback, and keeps the rest of the body', () => {
    const a = Float32Array.from(ramp(6));
    const b = Float64Array.from(ramp(3));
    const list = roundTrip({ seldonMessages: [{ data: { tensor: { shape: [6], values: a } } }, { strData: 'x' }, { data: { tensor: { shape: [3], values: b } } }] });
    expect(Array.from(list.seldonMessages[0].data.tensor.values)).toEqual(Array.from(a));
    expect(list.seldonMessages[1]).toEqual({ strData: 'x' });
    expect(list.seldonMessages[2].data.tensor.values).toBeInstanceOf(JsonFloat64Array);
    expect(Array.from(list.seldonMessages[2].data.tensor.values)).toEqual(Array.from(b));
    const feedback = roundTrip({ reward: 1, request: { data: { tensor: { shape: [3], values: b } } }, response: { data: { tensor: { shape: [6], values: a } } } });
    expect(feedback.reward).toBe(1);
    expect(Array.from(feedback.request.data.tensor.values)).toEqual(Array.from(b));
    expect(Array.from(feedback.response.data.tensor.values)).toEqual(Array.from(a));
  });

  it('does not change the body it packs', () => {
    const values = Float32Array.from(ramp(4));
    const body = { data: { tensor: { shape: [4], values } } };
    packBody(body);
    expect(body.data.tensor.values).toBe(values);
  });

  it('reads a packed body that starts at an odd offset of its buffer (a copy, same values)', () => {
    const packed = packBody({ data: { tensor: { shape: [5], values: Float64Array.from(ramp(5)) } } })!;
    const shifted = new Uint8Array(packed.bytes.byteLength + 3);
    shifted.set(packed.bytes, 3);
    const out = unpackBody(shifted.subarray(3), String(packed.headerLength)) as any;
    expect(Array.from(out.data.tensor.values)).toEqual(ramp(5));
    // The same from a Buffer inside a larger pool, as node:http hands bodies over (a Buffer's slice is a view).
    const pool = Buffer.alloc(packed.bytes.byteLength + 64, 0xff);
    pool.set(packed.bytes, 5);
    const fromBuffer = unpackBody(pool.subarray(5, 5 + packed.bytes.byteLength), String(packed.headerLength)) as any;
    expect(Array.from(fromBuffer.data.tensor.values)).toEqual(ramp(5));
  });

  it('answers a malformed packed body with a 400 naming the header or the field', () => {
    const packed = packBody({ data: { tensor: { shape: [4], values: Float32Array.from([1, 2, 3, 4]) } } })!;
    const fail = (bytes: Uint8Array, length: string | undefined) => {
      try {
        unpackBody(bytes, length);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        return error as ProtocolError;
      }
      throw new Error('expected a ProtocolError');
    };
    expect(fail(packed.bytes, undefined).message).toMatch(/x-switchyard-json-length: expected the length in bytes/);
    expect(fail(packed.bytes, 'abc').field).toBe('x-switchyard-json-length');
    expect(fail(packed.bytes, String(packed.bytes.byteLength + 1)).status).toBe(400);
    expect(fail(packed.bytes, '3').message).toMatch(/are not valid JSON/);
    const header = (json: unknown, tail = 0) => {
      const text = new TextEncoder().encode(JSON.stringify(json));
      const bytes = new Uint8Array(text.byteLength + tail);
      bytes.set(text);
      return [bytes, String(text.byteLength)] as const;
    };
    const wrongType = fail(...header({ data: { tensor: { shape: [1], values: { $packed: { datatype: 'INT8', offset: 0, count: 1 } } } } }, 8));
    expect(wrongType.message).toMatch(/data\.tensor\.values\.\$packed\.datatype: expected "FP32" or "FP64", received "INT8"/);
    const tooFew = fail(...header({ data: { tensor: { shape: [4], values: { $packed: { datatype: 'FP32', offset: 0, count: 4 } } } } }, 8));
    expect(tooFew.message).toMatch(/4 FP32 values at offset 0 need 16 bytes after the header, the body has 8/);
    const negative = fail(...header({ seldonMessages: [{ data: { tensor: { shape: [1], values: { $packed: { datatype: 'FP32', offset: -8, count: 1 } } } } }] }, 8));
    expect(negative.message).toMatch(/seldonMessages\[0\]\.data\.tensor\.values\.\$packed\.offset: expected a non-negative integer/);
  });

  it('makes a bare typed array JSON-safe in place, and turns typed arrays back into numbers for user code', () => {
    const body = { data: { tensor: { shape: [3], values: Float32Array.from([0.5, 1.5, 2.5]) as Float32Array | number[] } } };
    expect(JSON.stringify(body)).toContain('"0":0.5');
    withJsonSafeValues(body);
    expect(JSON.parse(JSON.stringify(body)).data.tensor.values).toEqual([0.5, 1.5, 2.5]);
    withPlainValues(body);
    expect(Array.isArray(body.data.tensor.values)).toBe(true);
    expect(body.data.tensor.values).toEqual([0.5, 1.5, 2.5]);
  });

  it('passes a V2 client\'s binary FP32 tensor on to a function as the same FP32 bytes, never as numbers', () => {
    const values = Float32Array.from(ramp(2048, 0.37));
    const raw = encodeRawTensor(Array.from(values), 'FP32');
    const header = new TextEncoder().encode(JSON.stringify({ inputs: [{ name: 'x', shape: [2, 1024], datatype: 'FP32', parameters: { binary_data_size: raw.byteLength } }] }));
    const body = new Uint8Array(header.byteLength + raw.byteLength);
    body.set(header);
    body.set(raw, header.byteLength);
    const request = parseInferenceRequest(decodeBinaryRequestBody(Buffer.from(body), String(header.byteLength)));
    const { message } = inferenceRequestToSeldon(request);
    expect(message.data!.tensor!.values).toBeInstanceOf(Float32Array);
    const packed = packBody(message)!;
    const json = JSON.parse(new TextDecoder().decode(packed.bytes.subarray(0, packed.headerLength)));
    expect(json.data.tensor.values.$packed).toEqual({ datatype: 'FP32', offset: 0, count: 2048 });
    expect(Buffer.from(packed.bytes.subarray(packed.headerLength, packed.headerLength + raw.byteLength)).equals(Buffer.from(raw))).toBe(true);
  });

  it('refuses NaN in a V2 client\'s binary FP32 tensor, naming the element', () => {
    const raw = encodeRawTensor([1, 2], 'FP32');
    new DataView(raw.buffer, raw.byteOffset).setFloat32(4, Number.NaN, true);
    const header = new TextEncoder().encode(JSON.stringify({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] }));
    const body = new Uint8Array(header.byteLength + 8);
    body.set(header);
    body.set(raw, header.byteLength);
    expect(() => decodeBinaryRequestBody(body, String(header.byteLength))).toThrow(/element 1 is NaN/);
  });
});
