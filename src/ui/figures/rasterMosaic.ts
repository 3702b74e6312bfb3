/**
 * Grey images laid out in a grid as RGBA pixels of a file, at a whole number of file pixels per
 * image pixel: the decoder grid's PNG at full resolution. (On the page, tiles are painted by
 * ui/charts/mosaic.ts, in device pixels.) Pure: a caller puts the pixels on a canvas.
 */

export type Rgb = readonly [number, number, number];

export interface MosaicOptions {
  /** Output pixels per image pixel (1: the images' own resolution). */
  scale?: number;
  /** Output pixels between tiles. */
  gap?: number;
  low?: Rgb;
  high?: Rgb;
  gapColour?: Rgb;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8ClampedArray;
}

/**
 * `count` images of `width` × `height` values each (floats in [0, 1], or bytes 0…255 when
 * `images` is a Uint8Array), row-major one after another, in `columns` columns.
 */
export function rasterMosaic(images: Float32Array | Uint8Array, count: number, width: number, height: number, columns: number, options: MosaicOptions = {}): Raster {
  const { scale = 1, gap = 0, low = [0, 0, 0], high = [255, 255, 255], gapColour = [255, 255, 255] } = options;
  const cols = Math.max(1, Math.min(columns, count));
  const rows = Math.max(1, Math.ceil(count / cols));
  const tileW = width * scale;
  const tileH = height * scale;
  const outW = cols * tileW + (cols - 1) * gap;
  const outH = rows * tileH + (rows - 1) * gap;
  const data = new Uint8ClampedArray(outW * outH * 4);
  for (let i = 0; i < outW * outH; i++) {
    data[4 * i] = gapColour[0];
    data[4 * i + 1] = gapColour[1];
    data[4 * i + 2] = gapColour[2];
    data[4 * i + 3] = 255;
  }
  const unit = images instanceof Uint8Array ? 1 / 255 : 1;
  const pixels = width * height;
  for (let k = 0; k < count; k++) {
    const x0 = (k % cols) * (tileW + gap);
    const y0 = Math.floor(k / cols) * (tileH + gap);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = images[k * pixels + y * width + x] * unit;
        v = v > 0 ? (v < 1 ? v : 1) : 0; // NaN → 0 too
        const r = low[0] + (high[0] - low[0]) * v;
        const g = low[1] + (high[1] - low[1]) * v;
        const b = low[2] + (high[2] - low[2]) * v;
        for (let dy = 0; dy < scale; dy++) {
          let o = ((y0 + y * scale + dy) * outW + x0 + x * scale) * 4;
          for (let dx = 0; dx < scale; dx++, o += 4) {
            data[o] = r;
            data[o + 1] = g;
            data[o + 2] = b;
          }
        }
      }
    }
  }
  return { width: outW, height: outH, data };
}
