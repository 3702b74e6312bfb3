/** Picture files for the browser tests, made in Node: PNGs (zlib from Node, our CRC-32), zips of them (our writer). */
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/core/io/crc32';
import { writeZip } from '../../src/core/io/zipWriter';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typed = new Uint8Array([...Buffer.from(type, 'latin1'), ...data]);
  out.set(typed, 4);
  view.setUint32(8 + data.length, crc32(typed));
  return out;
}

/** An 8-bit RGB PNG whose pixel (x, y) is `colour(x, y)`. */
export function png(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): Uint8Array {
  const header = new Uint8Array(13);
  const v = new DataView(header.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + 3 * width)] = 0; // no filter
    for (let x = 0; x < width; x++) raw.set(colour(x, y), y * (1 + 3 * width) + 1 + 3 * x);
  }
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array([...signature, ...chunk('IHDR', header), ...chunk('IDAT', new Uint8Array(deflateSync(raw))), ...chunk('IEND', new Uint8Array(0))]);
}

/** Only a PNG's header, claiming a size (a picture too large to decode is refused from it). */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  const header = new Uint8Array(13);
  const v = new DataView(header.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', header)]);
}

/** A dark disc or square on white, offset a little per index (the page makes the background dark). */
export function shape(kind: 'disc' | 'square', index: number, side = 40): Uint8Array {
  const c = side / 2 + (index % 3) - 1;
  const r = side / 4 + (index % 2) * 2;
  return png(side, side, (x, y) => {
    const inside = kind === 'disc' ? (x - c) ** 2 + (y - c) ** 2 <= r * r : Math.abs(x - c) <= r && Math.abs(y - c) <= r;
    return inside ? [20, 20, 20] : [250, 250, 250];
  });
}

/** shapes.zip: circles/ and squares/ with four pictures each, and a text file that is no picture. */
export function shapesZip(): Uint8Array {
  const entries = [0, 1, 2, 3].flatMap((i) => [
    { name: `circles/${i}.png`, data: shape('disc', i) },
    { name: `squares/${i}.png`, data: shape('square', i) },
  ]);
  entries.push({ name: 'notes.txt', data: new TextEncoder().encode('these are my shapes') });
  return writeZip(entries);
}
