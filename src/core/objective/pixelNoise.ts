/**
 * Pixel-level randomness drawn from a model's Gaussian noise stream (so it stays seeded and
 * reproducible): uniforms by the normal CDF, and dynamic binarisation.
 */
import * as tf from '../tf';
import type { NoiseSource } from '../models/family';

/** u = Φ(ε) = ½(1 + erf(ε/√2)): uniform on (0, 1) when ε is standard normal. */
export function uniformFromNormal(epsilon: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.add(tf.erf(tf.mul(epsilon, Math.SQRT1_2)), 1), 0.5));
}

/**
 * Dynamic binarisation (as in Burda et al.'s IWAE experiments): each pixel becomes 1 with its
 * intensity as probability, 0 otherwise, from uniforms u (x_b = [u < x]). Fresh u, fresh images:
 * E[x_b] = x.
 */
export function binarise(x: tf.Tensor2D, uniforms: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.less(uniforms, x), 'float32') as tf.Tensor2D);
}

/**
 * One binarisation of images given as row-major [count, pixels] intensities, `chunk` rows at a
 * time, from `noise` (a fixed-seed source: the same binary images every time). What a bound on
 * log p(x) scores under the binarised likelihood, so that it and the ELBO beside it score the same
 * binary images rather than grey ones. A 0 stays 0; a 1 stays 1 unless a uniform rounds to 1.
 */
export async function binariseImages(images: Float32Array, count: number, pixels: number, noise: NoiseSource, chunk = 1000): Promise<Float32Array> {
  const out = new Float32Array(count * pixels);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const b = tf.tidy(() => binarise(tf.tensor2d(images.subarray(start * pixels, (start + n) * pixels), [n, pixels]), uniformFromNormal(noise([n, pixels]))));
    out.set((await b.data()) as Float32Array, start * pixels);
    b.dispose();
  }
  return out;
}
