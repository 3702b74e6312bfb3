/**
 * Pixel-level randomness drawn from a model's Gaussian noise stream (so it stays seeded and
 * reproducible): uniforms by the normal CDF, and dynamic binarisation.
 */
import * as tf from '../tf';

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
