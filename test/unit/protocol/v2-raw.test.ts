/** Raw tensor bytes (gRPC raw contents, the REST binary extension): layout, FP16, and the errors. */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../runtime/protocol/errors.ts';
import { decodeRawTensor, encodeRawTensor, halfToNumber, numberToHalf } from '../../../runtime/protocol/v2-raw.ts';

const f16round = (Math as unknown as { f16round: (x: number) => number }).f16round;

describe('FP16', () => {
  it('decodes every bit pattern, and encodes back to the same bits (NaN to the canonical NaN)', () => {
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = halfToNumber(bits);
      if (Number.isNaN(value)) {
        expect(numberToHalf(value)).toBe(0x7e00);
        continue;
      }
      expect(value).toBe(f16round(value));
      expect(numberToHalf(value)).toBe(bits);
    }
  });

  it('rounds doubles as Math.f16round does (to nearest, ties to even, overflow to Infinity)', () => {
    const samples = [0.1, 1 / 3, 65_519.99, 65_520, 1e-8, 2.98023223876953125e-8, 1.0009765625 + 2 ** -11, -2049, 70_000];
    for (let i = 0; i < 5000; i++) samples.push((Math.sin(i) * 2) ** (i % 40) * (i % 2 ? -1 : 1));
    for (const x of samples) expect(halfToNumber(numberToHalf(x))).toBe(f16round(x));
  });
});

describe('layout', () => {
  it.each([
    { datatype: 'FP32', data: [1], bytes: [0x00, 0x00, 0x80, 0x3f] },
    { datatype: 'INT16', data: [-2], bytes: [0xfe, 0xff] },
    { datatype: 'UINT64', data: [2 ** 40], bytes: [0, 0, 0, 0, 0, 1, 0, 0] },
    { datatype: 'BOOL', data: [true, false], bytes: [1, 0] },
    { datatype: 'FP16', data: [1, -2], bytes: [0x00, 0x3c, 0x00, 0xc0] },
    { datatype: 'BYTES', data: ['ab', ''], bytes: [2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0] },
  ] as const)('$datatype is little-endian, row-major', ({ datatype, data, bytes }) => {
    expect([...encodeRawTensor([...data], datatype)]).toEqual(bytes);
    expect(Array.from(decodeRawTensor(new Uint8Array(bytes), datatype, [data.length], 'raw'))).toEqual(data);
  });
});

describe('errors name the buffer and what was expected', () => {
  it.each([
    { name: 'a byte count off the shape', bytes: [0, 0, 0], datatype: 'FP32', shape: [1], message: 'raw: expected 4 bytes (1 FP32 element(s) of 4 byte(s), shape [1]), received 3' },
    { name: 'an enormous shape, without allocating', bytes: [0, 0, 0, 0], datatype: 'FP64', shape: [1e12], message: 'raw: expected 8000000000000 bytes (1000000000000 FP64 element(s) of 8 byte(s), shape [1000000000000]), received 4' },
    { name: 'a negative dimension', bytes: [], datatype: 'INT8', shape: [-1], message: 'raw: shape[0]: expected a non-negative integer dimension, received number -1' },
    { name: 'an unknown datatype', bytes: [], datatype: 'FP8', shape: [0], message: 'raw: unsupported datatype string "FP8" (did you mean FP16?)' },
    { name: 'a BOOL byte that is not 0 or 1', bytes: [2], datatype: 'BOOL', shape: [1], message: 'raw: element 0: expected 0 or 1 for BOOL, received byte 2' },
    { name: 'an INT64 beyond 2^53-1', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], datatype: 'INT64', shape: [1], message: 'raw: element 0: 9223372036854775807 is beyond ±(2^53-1)' },
    { name: 'NaN', bytes: [0x00, 0x7e], datatype: 'FP16', shape: [1], message: 'raw: element 0 is NaN' },
    { name: 'a BYTES prefix cut short', bytes: [1, 0], datatype: 'BYTES', shape: [1], message: 'raw: expected 1 BYTES element(s) (each a 4-byte length and its bytes), but only 2 byte(s) were sent' },
    { name: 'BYTES longer than the buffer', bytes: [9, 0, 0, 0, 0x61], datatype: 'BYTES', shape: [1], message: 'raw: element 0: its length prefix says 9 byte(s) but only 1 remain' },
    { name: 'more BYTES than the shape', bytes: [1, 0, 0, 0, 0x61, 1, 0, 0, 0, 0x62], datatype: 'BYTES', shape: [1], message: 'raw: expected 1 BYTES element(s) (the product of the shape), received 2' },
    { name: 'BYTES that are not UTF-8', bytes: [1, 0, 0, 0, 0xff], datatype: 'BYTES', shape: [1], message: 'raw: element 0: BYTES must be UTF-8 text here' },
  ])('$name', ({ bytes, datatype, shape, message }) => {
    const attempt = () => decodeRawTensor(new Uint8Array(bytes), datatype, shape, 'raw');
    expect(attempt).toThrow(ProtocolError);
    expect(attempt).toThrow(message);
  });
});
