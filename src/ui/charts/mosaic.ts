/**
 * The one painter of grayscale images (MNIST digits, decoder outputs) on the page: a mosaic of
 * rows × cols tiles laid out in whole device pixels, so tiles line up without seams and each image
 * pixel becomes a sharp block. A tile's pixels go into an ImageData on a scratch canvas of the
 * image's own size; one drawImage with smoothing off scales it up.
 * The decoder grid, the decoded point, the traversals, the snapshot cards and the scatter's
 * tooltip all draw through paintMosaic (a single image is a 1 × 1 mosaic).
 */
import { devicePixelRatio, prepareCanvas } from './canvas';

export type Rgb = readonly [number, number, number];
export type Pixels = Float32Array | Uint8Array | Uint8ClampedArray;

export interface ImageShape {
  width: number;
  height: number;
}

/** The tiles' colours: value 0 → low, full intensity → high. */
export const TILE_LOW: Rgb = [14, 18, 27];
export const TILE_HIGH: Rgb = [255, 255, 255];

/** Where the tiles go. Sizes in device pixels except `width`/`height`, the mosaic's CSS size. */
export interface MosaicLayout {
  rows: number;
  cols: number;
  cellW: number;
  cellH: number;
  gapX: number;
  gapY: number;
  dpr: number;
  width: number;
  height: number;
}

export interface LayoutRequest {
  rows: number;
  cols: number;
  image: ImageShape;
  /** CSS width the mosaic may fill (cells as large as fit)… */
  room?: number;
  /** …or a fixed CSS width per cell. */
  cell?: number;
  /** Gaps between tiles, device pixels. */
  gapX?: number;
  gapY?: number;
  dpr?: number;
}

/** Whole device pixels for a CSS length, at least `min`. */
export function devicePx(css: number, min = 0, dpr = devicePixelRatio()): number {
  return Math.max(min, Math.round(css * dpr));
}

/** Cell sizes in whole device pixels: as wide as `room` allows (or `cell` CSS px), height in proportion. */
export function mosaicLayout(request: LayoutRequest): MosaicLayout {
  const { image, gapX = 0, gapY = gapX, dpr = devicePixelRatio() } = request;
  const rows = Math.max(0, request.rows);
  const cols = Math.max(0, request.cols);
  const across = Math.max(1, cols);
  const cellW =
    request.cell !== undefined ? Math.max(1, Math.round(request.cell * dpr)) : Math.max(1, Math.floor(((request.room ?? 0) * dpr - gapX * (across - 1)) / across));
  const cellH = Math.max(1, Math.round((cellW * image.height) / Math.max(1, image.width)));
  return {
    rows,
    cols,
    cellW,
    cellH,
    gapX,
    gapY,
    dpr,
    width: (cellW * cols + gapX * Math.max(0, cols - 1)) / dpr,
    height: (cellH * rows + gapY * Math.max(0, rows - 1)) / dpr,
  };
}

/** CSS position of tile (row, col)'s top-left corner and its CSS size. */
export function tileBox(layout: MosaicLayout, row: number, col: number): { x: number; y: number; width: number; height: number } {
  const { cellW, cellH, gapX, gapY, dpr } = layout;
  return { x: (col * (cellW + gapX)) / dpr, y: (row * (cellH + gapY)) / dpr, width: cellW / dpr, height: cellH / dpr };
}

type Scratch = { canvas: HTMLCanvasElement | OffscreenCanvas; ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D; image: ImageData };
const scratches = new Map<string, Scratch>();

function scratchFor(width: number, height: number): Scratch | null {
  const key = `${width}x${height}`;
  const cached = scratches.get(key);
  if (cached) return cached;
  let canvas: HTMLCanvasElement | OffscreenCanvas;
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

export interface TileColors {
  low?: Rgb;
  high?: Rgb;
  /** The value of full intensity: 1 for floats in 0..1, 255 for bytes; values are clamped. */
  scale?: number;
}

/** Draw image number `index` of `pixels` (row-major images of `shape`) into the box at (x, y), w × h. */
function drawTile(ctx: CanvasRenderingContext2D, pixels: Pixels, shape: ImageShape, index: number, x: number, y: number, w: number, h: number, colors: TileColors): void {
  const scratch = scratchFor(shape.width, shape.height);
  if (!scratch) return;
  const { low = TILE_LOW, high = TILE_HIGH, scale = 1 } = colors;
  const data = scratch.image.data;
  const n = shape.width * shape.height;
  const offset = index * n;
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
  ctx.drawImage(scratch.canvas as CanvasImageSource, x, y, w, h);
}

export interface MosaicContent extends TileColors {
  images: Pixels | null;
  image: ImageShape;
  /** Image index of each cell, row-major rows × cols; −1 (or past the end) leaves the cell empty. */
  tiles: ArrayLike<number>;
  /** Per-row full-intensity colour (e.g. dimmed collapsed rows), overriding `high`. */
  rowHigh?: readonly Rgb[];
  /** Fill behind the tiles (a CSS colour); transparent when absent. */
  background?: string;
}

/** Size `canvas` for the layout and paint every tile. */
export function paintMosaic(canvas: HTMLCanvasElement, layout: MosaicLayout, content: MosaicContent): void {
  const prepared = prepareCanvas(canvas, layout.width, layout.height);
  if (!prepared) return;
  const { ctx } = prepared;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (content.background) {
    ctx.fillStyle = content.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  const { images, image, tiles, rowHigh } = content;
  const pixels = image.width * image.height;
  if (!images || pixels <= 0) return;
  const count = Math.floor(images.length / pixels);
  const smoothing = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false;
  const { rows, cols, cellW, cellH, gapX, gapY } = layout;
  for (let r = 0; r < rows; r++) {
    const colors = rowHigh?.[r] ? { ...content, high: rowHigh[r] } : content;
    for (let c = 0; c < cols; c++) {
      const index = tiles[r * cols + c] ?? -1;
      if (index < 0 || index >= count) continue;
      drawTile(ctx, images, image, index, c * (cellW + gapX), r * (cellH + gapY), cellW, cellH, colors);
    }
  }
  ctx.imageSmoothingEnabled = smoothing;
}

/** Tiles 0, 1, 2, … in reading order: the first rows × cols images. */
export function sequentialTiles(count: number): Int32Array {
  return Int32Array.from({ length: Math.max(0, count) }, (_, i) => i);
}
