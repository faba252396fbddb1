/** @module The ResNet example's inputs for benchmarks: its graph built with generated models, and request bodies. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureResnetModels } from '../../scripts/models/resnet-models.ts';
import { transformInputRaw } from '../../examples/resnet/components/preprocess.ts';
import type { SeldonMessage } from '../../runtime/protocol/seldon-types.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RESNET_GRAPH = path.join(ROOT, 'examples/resnet/graph.yaml');

/** Generates the full-size models if they are not cached yet; logs what it did. */
export async function prepareResnet(log: (line: string) => void): Promise<void> {
  for (const f of await ensureResnetModels()) {
    log(`${f.generated ? `generated ${path.relative(ROOT, f.file)} in ${f.ms} ms` : `using cached ${path.relative(ROOT, f.file)}`} (${(f.bytes / 1e6).toFixed(1)} MB)`);
  }
}

/** The example's Seldon request (a PNG in binData) and the tensor message the models take. */
export function resnetRequests(): { image: string; tensor: string } {
  const image = readFileSync(path.join(ROOT, 'examples/resnet/requests/seldon.json'), 'utf8');
  // As a client would write it: the transformer's float32 values rounded to 1e-4 (finer than a pixel step).
  const { shape, values } = transformInputRaw(JSON.parse(image) as SeldonMessage).data!.tensor!;
  const tensor = JSON.stringify({ data: { tensor: { shape, values: Array.from(values, (v) => Math.round(v * 1e4) / 1e4) } } });
  return { image, tensor };
}
