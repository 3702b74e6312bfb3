/**
 * A row (or grid) of small grey images on one canvas, crisp pixels, each cell the same size. Used
 * by the tools of a trained model for paths, blends, reconstructions and typical images.
 */
import { useLayoutEffect, useRef } from 'react';
import { drawGrayscale, prepareCanvas, type Rgb } from '../../lib/imageCanvas';

export interface ImageStripProps {
  /** Row-major [count, width·height] images. */
  images: Float32Array | Uint8Array | null;
  count: number;
  shape: { width: number; height: number };
  /** Full intensity: 1 for floats in [0, 1], 255 for bytes. */
  scale?: number;
  /** Columns per row (default: all in one row). */
  columns?: number;
  /** CSS pixels per cell. */
  cell: number;
  gap?: number;
  /** Pixels to tint (1 = masked), laid out like `images`. */
  masked?: Uint8Array | null;
  label: string;
  className?: string;
}

const LOW: Rgb = [14, 18, 27];
const MASK_TINT = 'rgba(228, 87, 46, 0.55)';

export function ImageStrip({ images, count, shape, scale = 1, columns, cell, gap = 4, masked, label, className }: ImageStripProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cols = Math.max(1, Math.min(columns ?? count, count || 1));
  const rows = Math.max(1, Math.ceil(count / cols));
  const cellH = (cell * shape.height) / shape.width;
  const width = cols * cell + (cols - 1) * gap;
  const height = rows * cellH + (rows - 1) * gap;

  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || cell <= 0) return;
    const prepared = prepareCanvas(canvas, width, height);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.clearRect(0, 0, width, height);
    const pixels = shape.width * shape.height;
    for (let k = 0; k < count; k++) {
      const x = (k % cols) * (cell + gap);
      const y = Math.floor(k / cols) * (cellH + gap);
      if (!images || images.length < (k + 1) * pixels) {
        ctx.fillStyle = '#eef0f4';
        ctx.fillRect(x, y, cell, cellH);
        continue;
      }
      drawGrayscale(ctx, images, shape.width, shape.height, x, y, cell, scale, { offset: k * pixels, low: LOW });
      if (masked) {
        const unit = cell / shape.width;
        ctx.fillStyle = MASK_TINT;
        for (let p = 0; p < pixels; p++) {
          if (masked[k * pixels + p]) ctx.fillRect(x + (p % shape.width) * unit, y + Math.floor(p / shape.width) * unit, unit, unit);
        }
      }
    }
  }, [images, count, cols, cell, cellH, gap, width, height, shape.width, shape.height, scale, masked]);

  return <canvas ref={ref} className={`image-strip ${className ?? ''}`} role="img" aria-label={label} data-count={images ? count : 0} style={{ width, height }} />;
}

/** The largest whole cell size that fits `count` cells and their gaps in `room` pixels, within [min, max]. */
export function cellSize(room: number, count: number, gap: number, min: number, max: number): number {
  if (room <= 0 || count <= 0) return min;
  return Math.max(min, Math.min(max, Math.floor((room - gap * (count - 1)) / count)));
}
