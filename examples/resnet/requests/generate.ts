/**
 * Writes the ResNet example's requests, deterministically: a 64×64 test card (colour bars and a gradient) as
 * image.png and image.jpg, and the Seldon (binData) and Open Inference Protocol (BYTES, base64) requests
 * that carry it.
 *
 *   npx node examples/resnet/requests/generate.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

const SIZE = 64;
const BARS: Array<[number, number, number]> = [
  [255, 255, 255], [255, 255, 0], [0, 255, 255], [0, 255, 0], [255, 0, 255], [255, 0, 0], [0, 0, 255], [0, 0, 0],
];

export function testCard(size = SIZE): { width: number; height: number; data: Buffer } {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const bar = BARS[Math.floor((x * BARS.length) / size)]!;
      const shade = Math.round((255 * x) / (size - 1));
      const rgb = y < (size * 2) / 3 ? bar : [shade, shade, shade];
      data[i] = rgb[0]!;
      data[i + 1] = rgb[1]!;
      data[i + 2] = rgb[2]!;
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

if (import.meta.main) {
  const dir = import.meta.dirname;
  const card = testCard();
  const png = new PNG({ width: card.width, height: card.height });
  card.data.copy(png.data);
  const pngBytes = PNG.sync.write(png, { deflateLevel: 9 });
  const jpgBytes = jpeg.encode(card, 90).data;
  writeFileSync(path.join(dir, 'image.png'), pngBytes);
  writeFileSync(path.join(dir, 'image.jpg'), jpgBytes);
  const b64 = pngBytes.toString('base64');
  writeFileSync(path.join(dir, 'seldon.json'), JSON.stringify({ binData: b64 }) + '\n');
  writeFileSync(path.join(dir, 'v2.json'), JSON.stringify({ id: 'resnet-1', inputs: [{ name: 'image', shape: [1], datatype: 'BYTES', parameters: { content_type: 'base64' }, data: [b64] }] }) + '\n');
  for (const f of ['image.png', 'image.jpg', 'seldon.json', 'v2.json']) process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(dir, f))}\n`);
}
