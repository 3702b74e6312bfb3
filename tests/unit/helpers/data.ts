/**
 * Small structured data for training tests: 8×8 binary images drawn from a few random prototypes,
 * each pixel flipped with a small probability. A VAE can learn these quickly on the cpu backend.
 */
import { TestRng } from './rng';

export interface PatternData {
  images: Float32Array;
  count: number;
  dim: number;
  /** Which prototype each image came from. */
  labels: Int32Array;
}

export function prototypePatterns(count: number, seed: number, prototypes = 4, flip = 0.05, side = 8): PatternData {
  const rng = new TestRng(seed);
  const dim = side * side;
  const protos: Uint8Array[] = [];
  for (let p = 0; p < prototypes; p++) {
    const proto = new Uint8Array(dim);
    for (let i = 0; i < dim; i++) proto[i] = rng.next() < 0.5 ? 1 : 0;
    protos.push(proto);
  }
  const images = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % prototypes;
    labels[n] = label;
    for (let i = 0; i < dim; i++) {
      const bit = protos[label][i];
      images[n * dim + i] = rng.next() < flip ? 1 - bit : bit;
    }
  }
  return { images, count, dim, labels };
}
