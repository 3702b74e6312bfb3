/**
 * Drawing small grayscale images (MNIST digits, decoder outputs) onto a canvas, crisp and fast:
 * the pixels go into an ImageData on a scratch canvas of the image's own size, then one drawImage
 * scales it up with smoothing off, so each image pixel becomes a sharp block.
 */

export type Rgb = readonly [number, number, number];

export interface GrayscaleOptions {
  /** Colour of value 0 (default black). */
  low?: Rgb;
  /** Colour of full intensity (default white). */
  high?: Rgb;
}

type Scratch = { canvas: HTMLCanvasElement | OffscreenCanvas; ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D; image: ImageData };
const scratches = new Map<string, Scratch>();

function scratchFor(width: number, height: number): Scratch | null {
  const key = `${width}x${height}`;
  const cached = scratches.get(key);
  if (cached) return cached;
  let canvas: HTMLCanvasElement | OffscreenCanvas;
  // A DOM canvas where there is a document (the panels), an OffscreenCanvas elsewhere (a worker).
  if (typeof document !== 'undefined') {
    canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
  } else if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(width, height);
  else return null;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) return null;
  const scratch = { canvas, ctx, image: ctx.createImageData(width, height) };
  scratches.set(key, scratch);
  return scratch;
}

/**
 * Draw image `pixels` (row-major, `width`×`height`, starting at `offset`) into `ctx` at (x, y),
 * `size` units wide (height in proportion). `scale` is the value of full intensity: 1 for floats
 * in 0..1, 255 for bytes in 0..255; values are clamped.
 */
export function drawGrayscale(
  ctx: CanvasRenderingContext2D,
  pixels: Float32Array | Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  x: number,
  y: number,
  size: number,
  scale = 1,
  options: GrayscaleOptions & { offset?: number } = {},
): void {
  const scratch = scratchFor(width, height);
  if (!scratch) return;
  const { low = [0, 0, 0], high = [255, 255, 255], offset = 0 } = options;
  const data = scratch.image.data;
  const n = width * height;
  const dr = high[0] - low[0];
  const dg = high[1] - low[1];
  const db = high[2] - low[2];
  const inv = 1 / scale;
  for (let i = 0; i < n; i++) {
    let v = (pixels[offset + i] ?? 0) * inv;
    v = v < 0 ? 0 : v > 1 ? 1 : v !== v ? 0 : v;
    const o = 4 * i;
    data[o] = low[0] + dr * v;
    data[o + 1] = low[1] + dg * v;
    data[o + 2] = low[2] + db * v;
    data[o + 3] = 255;
  }
  scratch.ctx.putImageData(scratch.image, 0, 0);
  const smoothing = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch.canvas as CanvasImageSource, x, y, size, (size * height) / width);
  ctx.imageSmoothingEnabled = smoothing;
}

/**
 * Size a canvas's backing store for its CSS size and the device pixel ratio, and return a context
 * whose units are CSS pixels (or null when there is no 2-D context).
 */
export function prepareCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): { ctx: CanvasRenderingContext2D; dpr: number } | null {
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, dpr };
}

/** "#1d2330" → [29, 35, 48]; anything unparsable → black. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return [0, 0, 0];
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
