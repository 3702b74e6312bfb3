/**
 * From a decoded picture to a training image: grey levels (luma, transparency over white), the
 * background made dark when it is light (our data sets are light strokes on black, and so is what
 * the decoder learns best), and the whole picture fitted into a square of `side` pixels, centred,
 * its aspect ratio kept, by area averaging (each output pixel is the mean of the source area it
 * covers: exact for whole-number factors, no aliasing when shrinking a photo). Pure.
 */

/** Grey levels in [0, 1] of RGBA bytes: ITU-R BT.601 luma, composited over white by alpha. */
export function greyFromRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Float32Array {
  const n = width * height;
  if (rgba.length !== 4 * n) throw new RangeError(`${rgba.length} bytes are not ${width}×${height} RGBA pixels`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    const luma = (0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2]) / 255;
    const alpha = rgba[o + 3] / 255;
    out[i] = alpha * luma + (1 - alpha);
  }
  return out;
}

/** Mean grey level of the picture's outermost rows and columns. */
export function borderMean(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    sum += grey[x] + (height > 1 ? grey[(height - 1) * width + x] : 0);
    count += height > 1 ? 2 : 1;
  }
  for (let y = 1; y < height - 1; y++) {
    sum += grey[y * width] + (width > 1 ? grey[y * width + width - 1] : 0);
    count += width > 1 ? 2 : 1;
  }
  return count ? sum / count : 0;
}

/** Dark strokes on a light background (border mean above ½) become light on dark; in place. */
export function darkenBackground(grey: Float32Array, width: number, height: number): boolean {
  if (borderMean(grey, width, height) <= 0.5) return false;
  for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
  return true;
}

/**
 * The picture (grey, width × height) fitted into side × side: scaled so its longer side is
 * `side`, centred, the rest background 0. Output pixel (tx, ty) of the fitted box is the mean of
 * the source rectangle [tx·w/bw, (tx+1)·w/bw) × [ty·h/bh, (ty+1)·h/bh), weighted by overlap.
 */
export function fitToSquare(grey: Float32Array, width: number, height: number, side: number): Float32Array {
  if (width < 1 || height < 1 || grey.length !== width * height) throw new RangeError(`${grey.length} values are not a ${width}×${height} picture`);
  const scale = side / Math.max(width, height);
  const bw = Math.max(1, Math.min(side, Math.round(width * scale)));
  const bh = Math.max(1, Math.min(side, Math.round(height * scale)));
  const ox = Math.floor((side - bw) / 2);
  const oy = Math.floor((side - bh) / 2);
  const out = new Float32Array(side * side);
  // per output column: the source columns it covers with their weights (and the same for rows)
  const spans = (outputs: number, inputs: number) =>
    Array.from({ length: outputs }, (_, t) => {
      const from = (t * inputs) / outputs;
      const to = ((t + 1) * inputs) / outputs;
      const parts: [number, number][] = [];
      for (let s = Math.floor(from); s < Math.min(inputs, Math.ceil(to)); s++) {
        const w = Math.min(to, s + 1) - Math.max(from, s);
        if (w > 1e-9) parts.push([s, w / (to - from)]);
      }
      return parts;
    });
  const cols = spans(bw, width);
  const rows = spans(bh, height);
  for (let ty = 0; ty < bh; ty++) {
    for (let tx = 0; tx < bw; tx++) {
      let v = 0;
      for (const [sy, wy] of rows[ty]) for (const [sx, wx] of cols[tx]) v += grey[sy * width + sx] * wy * wx;
      out[(oy + ty) * side + ox + tx] = Math.min(1, Math.max(0, v));
    }
  }
  return out;
}

/** The whole way: RGBA → grey → dark background → side × side. */
export function trainingImage(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, side: number): { pixels: Float32Array; inverted: boolean } {
  const grey = greyFromRgba(rgba, width, height);
  const inverted = darkenBackground(grey, width, height);
  return { pixels: fitToSquare(grey, width, height, side), inverted };
}
