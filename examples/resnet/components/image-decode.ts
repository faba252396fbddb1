/**
 * Decoding an uploaded image (PNG or JPEG, told apart by their first bytes) into RGBA pixels with pure-JS
 * decoders (pngjs, jpeg-js). Bad or oversized input is an `ImageInputError` (a 400 naming the field).
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

/** Images larger than this (in megapixels) are refused before decoding. */
export const MAX_MEGAPIXELS = 40;

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

/** Bad input: the component wrapper answers it with a 400 naming `field`. */
export class ImageInputError extends Error {
  readonly status = 400;
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ImageInputError';
    this.field = field;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

export function decodeImage(bytes: Uint8Array, field: string): RgbaImage {
  const format = imageFormat(bytes);
  if (format === undefined) {
    throw new ImageInputError(field, `expected PNG or JPEG bytes, got ${bytes.length} bytes that are neither (first bytes ${hex(bytes.subarray(0, 4))})`);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === 'png') {
      // Width and height are the IHDR chunk's first fields: check the size before inflating anything.
      if (bytes.length >= 24) checkSize(buffer.readUInt32BE(16), buffer.readUInt32BE(20), field);
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, data: png.data };
    }
    const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    if (error instanceof ImageInputError) throw error;
    throw new ImageInputError(field, `the ${format.toUpperCase()} image cannot be decoded: ${(error as Error).message}`);
  }
}

function checkSize(width: number, height: number, field: string): void {
  if (width === 0 || height === 0) throw new ImageInputError(field, `the image is ${width}×${height}: it has no pixels`);
  if (width * height > MAX_MEGAPIXELS * 1e6) {
    throw new ImageInputError(field, `the image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${MAX_MEGAPIXELS} MP`);
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || 'none';
}
