/**
 * The ResNet graph's TRANSFORMER: image bytes in, the network's input tensor out.
 *
 * Accepts one image as Seldon `binData` (PNG or JPEG bytes) or `strData` (the bytes in base64, optionally as a
 * `data:image/…;base64,` URL: what a V2 BYTES input with one element becomes), or several as `data.ndarray`
 * of base64 strings (a V2 BYTES input with several). Each is decoded (pngjs / jpeg-js), resized to 224×224
 * and normalised with ImageNet's mean and std; the answer is `data.tensor` [N, 3, 224, 224] (NCHW float32). Its
 * values are returned as the Float32Array itself: the orchestrator sends it on to the model as raw bytes
 * (a packed body), never as 150 528 numbers in JSON; a client calling this function directly gets JSON.
 */
import type { SeldonMessage } from '../../../runtime/protocol/seldon-types.ts';
import { decodeImage, ImageInputError } from './image-decode.ts';
import { imageToChw } from './image-tensor.ts';

export const IMAGE_SIZE = 224;
/** Images per request, at most. */
export const MAX_BATCH = 16;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(text: string, field: string): Uint8Array {
  const body = text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
  const compact = body.replace(/\s+/g, '');
  if (compact.length === 0 || !BASE64.test(compact)) {
    throw new ImageInputError(field, 'expected PNG or JPEG bytes in base64');
  }
  return Buffer.from(compact, 'base64');
}

/** The images of a message, each with the field it came from. */
function imagesOf(message: SeldonMessage): Array<{ bytes: Uint8Array; field: string }> {
  if (message.binData !== undefined) return [{ bytes: Buffer.from(message.binData, 'base64'), field: 'binData' }];
  if (message.strData !== undefined) return [{ bytes: fromBase64(message.strData, 'strData'), field: 'strData' }];
  const nd = message.data?.ndarray;
  if (Array.isArray(nd) && nd.length > 0 && nd.flat(Infinity).every((v) => typeof v === 'string')) {
    const strings = nd.flat(Infinity) as string[];
    if (strings.length > MAX_BATCH) throw new ImageInputError('data.ndarray', `at most ${MAX_BATCH} images per request, got ${strings.length}`);
    return strings.map((s, i) => ({ bytes: fromBase64(s, `data.ndarray[${i}]`), field: `data.ndarray[${i}]` }));
  }
  throw new ImageInputError(
    message.data !== undefined ? 'data' : 'message',
    'expected an image: binData (PNG or JPEG bytes), strData (the bytes in base64) or data.ndarray of base64 strings',
  );
}

export function transformInputRaw(message: SeldonMessage): SeldonMessage {
  const images = imagesOf(message);
  const per = 3 * IMAGE_SIZE * IMAGE_SIZE;
  const tensor = new Float32Array(images.length * per);
  images.forEach(({ bytes, field }, i) => imageToChw(decodeImage(bytes, field), IMAGE_SIZE, tensor, i * per));
  return { data: { tensor: { shape: [images.length, 3, IMAGE_SIZE, IMAGE_SIZE], values: tensor } } };
}

export function metadata(): Record<string, unknown> {
  return { input: 'PNG or JPEG bytes (binData, base64 strData or data.ndarray)', output: `data.tensor [N, 3, ${IMAGE_SIZE}, ${IMAGE_SIZE}]`, normalisation: 'ImageNet mean/std' };
}
