/**
 * RGBA pixels → the network's input: bilinear resize to size×size (pixel centres aligned, as torchvision's
 * `Resize` does), RGB scaled to 0..1 and normalised with ImageNet's per-channel mean and std, laid out
 * channel-first (CHW) as float32.
 */
import type { RgbaImage } from './image-decode.ts';

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** Writes one image's CHW tensor (3·size·size values) into `out` at `offset`. */
export function imageToChw(image: RgbaImage, size: number, out: Float32Array, offset = 0): void {
  const { width, height, data } = image;
  const plane = size * size;
  const scaleX = width / size;
  const scaleY = height / size;
  for (let y = 0; y < size; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sx - x0;
      const i00 = (y0 * width + x0) * 4;
      const i01 = (y0 * width + x1) * 4;
      const i10 = (y1 * width + x0) * 4;
      const i11 = (y1 * width + x1) * 4;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! * (1 - fx) + data[i01 + c]! * fx;
        const bottom = data[i10 + c]! * (1 - fx) + data[i11 + c]! * fx;
        const value = (top * (1 - fy) + bottom * fy) / 255;
        out[offset + c * plane + y * size + x] = (value - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
      }
    }
  }
}
