/**
 * Priors p(z) over a continuous latent, by their log-density: what the importance-weighted bound
 * (bounds.ts) needs of a prior, so a learned mixture can stand in for N(0, I) without touching it.
 */
import * as tf from '../tf';

const LOG_2PI = Math.log(2 * Math.PI);

export interface LatentPrior {
  id: string;
  /** For captions, e.g. "N(0, I)". */
  label: string;
  /** log p(z) of each row of z [n, d], shape [n], in nats. */
  logDensity(z: tf.Tensor2D): tf.Tensor1D;
}

/** p(z) = N(0, I): log p(z) = −½ Σ_d (log 2π + z_d²). */
export const STANDARD_NORMAL_PRIOR: LatentPrior = {
  id: 'standard-normal',
  label: 'N(0, I)',
  logDensity: (z) => tf.tidy(() => tf.mul(tf.sum(tf.add(tf.square(z), LOG_2PI), 1), -0.5) as tf.Tensor1D),
};

/**
 * log N(z; μ, diag σ²) per row for z = μ + σ ⊙ ε, from the noise ε that made it:
 *   −½ Σ_d (log 2π + log σ²_d + ε_d²)
 * (exact, and free of the cancellation in (z − μ)²/σ² when σ is small).
 */
export function diagonalGaussianLogDensityOfNoise(logVar: tf.Tensor2D, epsilon: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.sum(tf.add(tf.add(logVar, tf.square(epsilon)), LOG_2PI), 1), -0.5) as tf.Tensor1D);
}
