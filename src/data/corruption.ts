/**
 * Damaged inputs for the reconstruction tool: noise added to every pixel (denoising), or a block of
 * each image blanked out (inpainting). Seeded, so the same corruption is shown on every refresh
 * and the page can mark the masked pixels.
 */
import { Rng } from './rng';

export type CorruptionKind = 'none' | 'noise' | 'mask';

export const CORRUPTIONS: readonly { id: CorruptionKind; label: string; caption: string }[] = [
  { id: 'none', label: 'none', caption: 'the test images as they are' },
  { id: 'noise', label: 'noise', caption: 'Gaussian noise of σ = 0.4 added to every pixel (clipped to [0, 1])' },
  { id: 'mask', label: 'mask', caption: 'a square of 40% of the side blanked out in each image' },
];

/** σ of the added noise, in intensity units. */
export const NOISE_SIGMA = 0.4;
/** Side of the masked square as a fraction of the image's side. */
export const MASK_FRACTION = 0.4;

export interface Corrupted {
  /** Row-major [count, pixels] intensities in [0, 1]. */
  images: Float32Array;
  /** 1 where a pixel was blanked (mask only), else null. */
  masked: Uint8Array | null;
}

/**
 * Corrupt `count` images of `width`×`height` (row-major, intensities in [0, 1]). The mask's square
 * sits at a seeded position within the middle of each image, where the strokes are.
 */
export function corruptImages(images: Float32Array, count: number, size: { width: number; height: number }, kind: CorruptionKind, seed = 1): Corrupted {
  const pixels = size.width * size.height;
  const out = Float32Array.from(images.subarray(0, count * pixels));
  if (kind === 'none') return { images: out, masked: null };
  const rng = new Rng(seed);
  if (kind === 'noise') {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i] + NOISE_SIGMA * rng.normal()));
    return { images: out, masked: null };
  }
  const masked = new Uint8Array(out.length);
  const bw = Math.max(1, Math.round(size.width * MASK_FRACTION));
  const bh = Math.max(1, Math.round(size.height * MASK_FRACTION));
  for (let k = 0; k < count; k++) {
    // the square's corner within the middle half of the image
    const x0 = Math.round(size.width / 4 + rng.next() * Math.max(0, size.width / 2 - bw / 2) - bw / 4);
    const y0 = Math.round(size.height / 4 + rng.next() * Math.max(0, size.height / 2 - bh / 2) - bh / 4);
    const cx = Math.max(0, Math.min(size.width - bw, x0));
    const cy = Math.max(0, Math.min(size.height - bh, y0));
    for (let y = cy; y < cy + bh; y++) {
      for (let x = cx; x < cx + bw; x++) {
        const i = k * pixels + y * size.width + x;
        out[i] = 0;
        masked[i] = 1;
      }
    }
  }
  return { images: out, masked };
}
