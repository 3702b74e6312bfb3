/**
 * A row (or grid) of small grey images on one canvas, through the page's one image painter
 * (charts/mosaic.ts), with optional tinted pixels (a masked block). Used by the tools of a trained
 * model for paths, blends, reconstructions and typical images.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { devicePx, mosaicLayout, paintMosaic, sequentialTiles, tileBox } from '../../charts/mosaic';

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
  /** CSS pixels between cells. */
  gap?: number;
  /** Pixels to tint (1 = masked), laid out like `images`. */
  masked?: Uint8Array | null;
  label: string;
  className?: string;
}

const EMPTY = '#eef0f4';
const MASK_TINT = 'rgba(228, 87, 46, 0.55)';

export function ImageStrip({ images, count, shape, scale = 1, columns, cell, gap = 4, masked, label, className }: ImageStripProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cols = Math.max(1, Math.min(columns ?? count, count || 1));
  const rows = Math.max(1, Math.ceil(count / cols));
  const layout = useMemo(() => mosaicLayout({ rows, cols, image: shape, cell, gapX: devicePx(gap) }), [rows, cols, shape, cell, gap]);

  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    paintMosaic(canvas, layout, { images, image: shape, tiles: sequentialTiles(rows * cols), scale, background: images ? undefined : EMPTY });
    if (!images || !masked) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const pixels = shape.width * shape.height;
    ctx.setTransform(layout.dpr, 0, 0, layout.dpr, 0, 0);
    ctx.fillStyle = MASK_TINT;
    for (let k = 0; k < count; k++) {
      const box = tileBox(layout, Math.floor(k / cols), k % cols);
      const unit = box.width / shape.width;
      for (let p = 0; p < pixels; p++) {
        if (masked[k * pixels + p]) ctx.fillRect(box.x + (p % shape.width) * unit, box.y + Math.floor(p / shape.width) * unit, unit, unit);
      }
    }
  }, [images, layout, shape, rows, cols, count, scale, masked]);

  return <canvas ref={ref} className={`image-strip ${className ?? ''}`} role="img" aria-label={label} data-count={images ? count : 0} style={{ width: layout.width, height: layout.height }} />;
}

/** The largest whole cell size that fits `count` cells and their gaps in `room` pixels, within [min, max]. */
export function cellSize(room: number, count: number, gap: number, min: number, max: number): number {
  if (room <= 0 || count <= 0) return min;
  return Math.max(min, Math.min(max, Math.floor((room - gap * (count - 1)) / count)));
}
