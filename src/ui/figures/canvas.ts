/** Rasters onto canvases, and canvases into PNG files. */
import type { Raster } from './rasterMosaic';

/** Paint a raster onto a canvas of its size (the canvas is resized to fit). */
export function paintRaster(canvas: HTMLCanvasElement, raster: Raster): void {
  canvas.width = raster.width;
  canvas.height = raster.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height), 0, 0);
}

/** A canvas's picture as PNG bytes. */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture cannot be encoded as PNG'))), 'image/png'));
}

/** A raster as PNG bytes. */
export function rasterPng(raster: Raster): Promise<Blob> {
  const canvas = document.createElement('canvas');
  paintRaster(canvas, raster);
  return canvasPng(canvas);
}
