/**
 * How sharp images are, as their mean gradient magnitude: for each pixel with a right and a lower
 * neighbour, √(Δx² + Δy²) of the forward differences, averaged over those pixels (and channels)
 * and over the images. Blur spreads an edge over several pixels and lowers it; the sample-quality
 * score divides the samples' figure by the test images' (1: as sharp as the data). Typed arrays only.
 */
import type { ImageShape } from '../../data/dataset';

/** The mean gradient magnitude of `count` images, row-major [count, h·w·c] (HWC), intensities in [0, 1]. */
export function meanGradientMagnitude(images: ArrayLike<number>, count: number, shape: ImageShape, scale = 1): number {
  const { width: w, height: h, channels: c } = shape;
  if (w < 2 || h < 2 || count === 0) return 0;
  const pixels = w * h * c;
  let total = 0;
  for (let n = 0; n < count; n++) {
    const base = n * pixels;
    let sum = 0;
    for (let y = 0; y < h - 1; y++) {
      for (let x = 0; x < w - 1; x++) {
        for (let k = 0; k < c; k++) {
          const at = base + (y * w + x) * c + k;
          const v = images[at];
          const dx = images[at + c] - v;
          const dy = images[at + w * c] - v;
          sum += Math.sqrt(dx * dx + dy * dy);
        }
      }
    }
    total += sum / ((w - 1) * (h - 1) * c);
  }
  return (total / count) * scale;
}
