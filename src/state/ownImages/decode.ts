/**
 * Decoding a PNG or JPEG in the browser into a training image: createImageBitmap (which also
 * shrinks a big picture on the way, keeping its aspect, to a few times the target size), an
 * OffscreenCanvas for the pixels, then the pure steps of data/own/pixels.ts.
 */
import { trainingImage } from '../../data/own/pixels';

/** Pictures are first shrunk (by the browser) to at most this many times the target side. */
const PRESHRINK = 4;

export interface DecodedImage {
  pixels: Float32Array;
  inverted: boolean;
}

export type ImageDecoder = (bytes: Uint8Array, width: number, height: number, side: number) => Promise<DecodedImage>;

export const browserDecoder: ImageDecoder = async (bytes, width, height, side) => {
  const longest = Math.max(width, height);
  const scale = Math.min(1, (PRESHRINK * side) / longest);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), scale < 1 ? { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' } : {});
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2-D canvas');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return trainingImage(data, bitmap.width, bitmap.height, side);
  } finally {
    bitmap.close();
  }
};
