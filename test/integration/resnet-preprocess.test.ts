/**
 * The ResNet example's image transformer: PNG and JPEG decoding, resize, ImageNet normalisation, NCHW layout,
 * the three ways an image arrives (binData, base64 strData, an ndarray of base64 strings) and clear 400s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { transformInputRaw, IMAGE_SIZE } from '../../examples/resnet/components/preprocess.ts';
import { decodeImage, ImageInputError, MAX_MEGAPIXELS } from '../../examples/resnet/components/image-decode.ts';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../examples/resnet/components/image-tensor.ts';
import { testCard } from '../../examples/resnet/requests/generate.ts';

const REQUESTS = path.resolve('examples/resnet/requests');
const PLANE = IMAGE_SIZE * IMAGE_SIZE;

function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(png);
}

function thrown(fn: () => unknown): ImageInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImageInputError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('preprocess (ResNet image transformer)', () => {
  it('turns a solid colour into constant, ImageNet-normalised planes of 224×224', () => {
    const out = transformInputRaw({ binData: solidPng(3, 5, [255, 0, 51]).toString('base64') });
    expect(out.data!.tensor!.shape).toEqual([1, 3, IMAGE_SIZE, IMAGE_SIZE]);
    const values = out.data!.tensor!.values;
    expect(values).toHaveLength(3 * PLANE);
    [1, 0, 0.2].forEach((level, c) => {
      const want = (level - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
      const plane = new Set(values.slice(c * PLANE, (c + 1) * PLANE));
      expect(plane.size).toBe(1);
      expect([...plane][0]).toBeCloseTo(want, 5);
    });
  });

  it('resizes bilinearly, keeping left on the left: a black|white image rises from left to right', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([0, 0, 0, 255, 255, 255, 255, 255]);
    const values = transformInputRaw({ binData: PNG.sync.write(png).toString('base64') }).data!.tensor!.values;
    const row = values.slice(0, IMAGE_SIZE);
    expect(row[0]).toBeCloseTo(-IMAGENET_MEAN[0] / IMAGENET_STD[0], 3);
    expect(row[IMAGE_SIZE - 1]).toBeCloseTo((1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], 3);
    for (let x = 1; x < IMAGE_SIZE; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
  });

  it('decodes the example PNG and JPEG to nearly the same tensor (JPEG is lossy)', () => {
    const png = transformInputRaw({ binData: readFileSync(path.join(REQUESTS, 'image.png')).toString('base64') }).data!.tensor!.values;
    const jpg = transformInputRaw({ binData: readFileSync(path.join(REQUESTS, 'image.jpg')).toString('base64') }).data!.tensor!.values;
    let diff = 0;
    for (let i = 0; i < png.length; i++) diff += Math.abs(png[i]! - jpg[i]!);
    expect(diff / png.length).toBeLessThan(0.1);
    expect(png.some((v, i) => v !== jpg[i])).toBe(true);
  });

  it('takes base64 strData (a V2 BYTES input), also as a data: URL, and a batch as an ndarray of strings', () => {
    const b64 = readFileSync(path.join(REQUESTS, 'image.png')).toString('base64');
    const one = transformInputRaw({ binData: b64 }).data!.tensor!.values;
    expect(transformInputRaw({ strData: b64 }).data!.tensor!.values).toEqual(one);
    expect(transformInputRaw({ strData: `data:image/png;base64,${b64}` }).data!.tensor!.values).toEqual(one);
    const batch = transformInputRaw({ data: { ndarray: [b64, solidPng(1, 1, [0, 0, 0]).toString('base64')] } }).data!.tensor!;
    expect(batch.shape).toEqual([2, 3, IMAGE_SIZE, IMAGE_SIZE]);
    expect(batch.values.slice(0, 3 * PLANE)).toEqual(one);
  });

  it('the example requests carry the example PNG', () => {
    const seldon = JSON.parse(readFileSync(path.join(REQUESTS, 'seldon.json'), 'utf8'));
    const v2 = JSON.parse(readFileSync(path.join(REQUESTS, 'v2.json'), 'utf8'));
    const png = readFileSync(path.join(REQUESTS, 'image.png')).toString('base64');
    expect(seldon.binData).toBe(png);
    expect(v2.inputs[0]).toMatchObject({ datatype: 'BYTES', shape: [1], data: [png] });
    const card = testCard();
    const decoded = decodeImage(readFileSync(path.join(REQUESTS, 'image.png')), 'binData');
    expect(Buffer.from(decoded.data)).toEqual(card.data);
  });

  it('rejects bytes that are not an image with a 400 naming the field', () => {
    const error = thrown(() => transformInputRaw({ binData: Buffer.from('hello world').toString('base64') }));
    expect(error.status).toBe(400);
    expect(error.field).toBe('binData');
    expect(error.message).toBe('binData: expected PNG or JPEG bytes, got 11 bytes that are neither (first bytes 68 65 6c 6c)');
  });

  it('rejects strData that is not base64, a message without an image, and a truncated PNG', () => {
    expect(thrown(() => transformInputRaw({ strData: 'not base64!' })).field).toBe('strData');
    const none = thrown(() => transformInputRaw({ data: { ndarray: [[1, 2]] } }));
    expect(none.field).toBe('data');
    expect(none.message).toContain('expected an image: binData (PNG or JPEG bytes), strData (the bytes in base64) or data.ndarray of base64 strings');
    const truncated = solidPng(8, 8, [1, 2, 3]).subarray(0, 40);
    expect(thrown(() => decodeImage(truncated, 'binData')).message).toMatch(/^binData: the PNG image cannot be decoded: /);
    expect(thrown(() => decodeImage(jpeg.encode(testCard(), 50).data.subarray(0, 200), 'strData')).field).toBe('strData');
  });

  it('refuses an image above the size limit before decoding it', () => {
    const png = Buffer.from(solidPng(1, 1, [0, 0, 0]));
    png.writeUInt32BE(10_000, 16);
    png.writeUInt32BE(10_000, 20);
    expect(thrown(() => decodeImage(png, 'binData')).message).toBe(`binData: the image is 10000×10000 (100.0 MP); the limit is ${MAX_MEGAPIXELS} MP`);
  });
});
