/**
 * A user's own image made to look like a data set's: ink extracted from any picture (drawn on the
 * page or dropped as a file, any size or colour), then normalised the way MNIST was made (LeCun
 * et al.): the ink's bounding box scaled, aspect kept, so its longer side is 20 pixels
 * (anti-aliased by area averaging), and placed in a 28×28 field with its centre of mass at the
 * centre. Typed arrays only (no DOM): the page reads the pixels, this turns them into a model input.
 */

export interface ImageSize {
  width: number;
  height: number;
}

export interface NormaliseOptions {
  /** Side of the square output (28 for MNIST). */
  side: number;
  /** Longer side of the ink's box in the output (20 for MNIST). */
  box: number;
  /** Ink below this level does not count for the bounding box. */
  threshold: number;
}

export const MNIST_LAYOUT: NormaliseOptions = { side: 28, box: 20, threshold: 0.1 };

/** The layout for a data set's image side: MNIST's 20-in-28 proportions. */
export function layoutFor(side: number): NormaliseOptions {
  return { side, box: Math.max(1, Math.round((side * MNIST_LAYOUT.box) / MNIST_LAYOUT.side)), threshold: MNIST_LAYOUT.threshold };
}

/**
 * Ink in [0, 1] (1 = full ink, as MNIST's white strokes on black) from RGBA bytes of any picture.
 * With transparency the opaque parts are the ink (a drawing exported on a transparent ground).
 * Otherwise the ground is the median grey of the border: dark ink on a light ground (a scan, a
 * photo of paper) is inverted, light ink on a dark ground is kept; the ground is subtracted and
 * the strongest ink scaled to 1.
 */
export function inkFromRgba(rgba: ArrayLike<number>, size: ImageSize): Float32Array {
  const { width, height } = size;
  const n = width * height;
  if (rgba.length < 4 * n) throw new Error(`expected ${4 * n} RGBA bytes for ${width}×${height}, got ${rgba.length}`);
  const out = new Float32Array(n);
  let translucent = 0;
  for (let i = 0; i < n; i++) if (rgba[4 * i + 3] < 128) translucent++;
  if (translucent > 0.01 * n) {
    for (let i = 0; i < n; i++) out[i] = rgba[4 * i + 3] / 255;
    return out;
  }
  const lum = new Float32Array(n);
  for (let i = 0; i < n; i++) lum[i] = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(lum[x], lum[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) border.push(lum[y * width], lum[y * width + width - 1]);
  border.sort((a, b) => a - b);
  const ground = border[Math.floor(border.length / 2)] ?? 0;
  const darkInk = ground > 0.5;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, darkInk ? ground - lum[i] : lum[i] - ground);
    out[i] = v;
    if (v > max) max = v;
  }
  if (max < 0.05) return out.fill(0);
  for (let i = 0; i < n; i++) out[i] = Math.min(1, out[i] / max);
  return out;
}

/** The ink's bounding box (pixels at or above threshold), or null when there is none. */
export function inkBounds(ink: ArrayLike<number>, size: ImageSize, threshold: number): { x0: number; y0: number; x1: number; y1: number } | null {
  const { width, height } = size;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] >= threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Resample one axis by area averaging: output cell k covers source [k/s, (k + 1)/s) and takes
 * the coverage-weighted mean of the source cells it overlaps (a box filter: anti-aliased when
 * shrinking, blocky but exact when enlarging).
 */
function coverage(sourceLength: number, targetLength: number): { from: number; to: number; weights: number[] }[] {
  const scale = targetLength / sourceLength;
  return Array.from({ length: targetLength }, (_, k) => {
    const a = k / scale;
    const b = (k + 1) / scale;
    const from = Math.floor(a);
    const to = Math.min(sourceLength, Math.ceil(b));
    const weights: number[] = [];
    for (let s = from; s < to; s++) weights.push((Math.min(b, s + 1) - Math.max(a, s)) * scale);
    return { from, to, weights };
  });
}

/** The centre of mass (x, y) of an image, pixel (i, j) at (i + ½, j + ½); null without mass. */
export function centreOfMass(pixels: ArrayLike<number>, size: ImageSize): [number, number] | null {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const v = pixels[y * size.width + x];
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return m > 0 ? [mx / m, my / m] : null;
}

/**
 * MNIST's normalisation of ink (any size): crop to the ink's bounding box, scale it (aspect
 * kept) so its longer side is `box` pixels, and place it in a `side`×`side` field so that its
 * centre of mass is at the centre (the nearest whole pixel, kept inside the field). Null when
 * there is no ink.
 */
export function normaliseLikeMnist(ink: ArrayLike<number>, size: ImageSize, options: NormaliseOptions = MNIST_LAYOUT): Float32Array | null {
  const { side, box, threshold } = options;
  const bounds = inkBounds(ink, size, threshold);
  if (!bounds) return null;
  const bw = bounds.x1 - bounds.x0;
  const bh = bounds.y1 - bounds.y0;
  const scale = box / Math.max(bw, bh);
  const tw = Math.max(1, Math.min(side, Math.round(bw * scale)));
  const th = Math.max(1, Math.min(side, Math.round(bh * scale)));
  // separable area averaging: rows first, then columns
  const cols = coverage(bw, tw);
  const rows = coverage(bh, th);
  const wide = new Float64Array(bh * tw);
  for (let y = 0; y < bh; y++) {
    const row = (bounds.y0 + y) * size.width + bounds.x0;
    cols.forEach((c, k) => {
      let s = 0;
      for (let i = 0; i < c.weights.length; i++) s += c.weights[i] * ink[row + c.from + i];
      wide[y * tw + k] = s;
    });
  }
  const small = new Float32Array(th * tw);
  rows.forEach((r, k) => {
    for (let x = 0; x < tw; x++) {
      let s = 0;
      for (let i = 0; i < r.weights.length; i++) s += r.weights[i] * wide[(r.from + i) * tw + x];
      small[k * tw + x] = Math.min(1, Math.max(0, s));
    }
  });
  const com = centreOfMass(small, { width: tw, height: th }) ?? [tw / 2, th / 2];
  const ox = Math.max(0, Math.min(side - tw, Math.round(side / 2 - com[0])));
  const oy = Math.max(0, Math.min(side - th, Math.round(side / 2 - com[1])));
  const out = new Float32Array(side * side);
  for (let y = 0; y < th; y++) out.set(small.subarray(y * tw, (y + 1) * tw), (oy + y) * side + ox);
  return out;
}
