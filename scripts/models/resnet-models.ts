/**
 * @module The ResNet example's two models, generated on demand and cached under examples/resnet/models/
 * (git-ignored: about 100 MB each at full width). Deterministic, so a cached file is reused as it is.
 *
 * - `resnet50-a.onnx` (seed 1) and `resnet50-b.onnx` (seed 2): the same topology with different weights, so
 *   the bandit in front of them has two different arms. Other widths get a `-w<width>` suffix.
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildResnet50 } from './resnet.ts';

export const RESNET_MODELS_DIR = path.resolve(import.meta.dirname, '..', '..', 'examples', 'resnet', 'models');

export const RESNET_VARIANTS = [
  { name: 'resnet50-a', seed: 1 },
  { name: 'resnet50-b', seed: 2 },
] as const;

export interface ResnetModelFile {
  name: string;
  file: string;
  bytes: number;
  /** True when this call wrote it; false when the cached file was reused. */
  generated: boolean;
  /** ms spent generating and writing (0 when cached). */
  ms: number;
}

export function resnetFileName(name: string, width: number): string {
  return width === 64 ? `${name}.onnx` : `${name}-w${width}.onnx`;
}

/** Makes sure both models exist in `dir` (default examples/resnet/models) at `width` (default 64). */
export async function ensureResnetModels(options: { dir?: string; width?: number; force?: boolean } = {}): Promise<ResnetModelFile[]> {
  const dir = options.dir ?? RESNET_MODELS_DIR;
  const width = options.width ?? 64;
  await mkdir(dir, { recursive: true });
  const out: ResnetModelFile[] = [];
  for (const variant of RESNET_VARIANTS) {
    const file = path.join(dir, resnetFileName(variant.name, width));
    const existing = options.force ? undefined : await stat(file).catch(() => undefined);
    if (existing?.isFile() && existing.size > 0) {
      out.push({ name: variant.name, file, bytes: existing.size, generated: false, ms: 0 });
      continue;
    }
    const started = performance.now();
    const { bytes } = buildResnet50({ width, seed: variant.seed });
    // Written beside and renamed into place: a concurrent reader never sees half a model.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, file);
    out.push({ name: variant.name, file, bytes: bytes.byteLength, generated: true, ms: Math.round(performance.now() - started) });
  }
  return out;
}
