/**
 * The Gaussian latent's pieces that every family with one shares: the split of an encoder's
 * output into μ and log σ², and the reparameterisation trick.
 */
import * as tf from '../tf';
import type { Posterior } from '../types';

/** [n, 2d] → μ = the first d columns, log σ² = the last d. */
export function splitPosterior(both: tf.Tensor2D): Posterior {
  const [mu, logVar] = tf.split(both, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, logVar };
}

/**
 * Reparameterisation trick: z = μ + σ ⊙ ε with ε ~ N(0, I) drawn outside the graph, so the
 * sample is a differentiable function of μ and log σ² (∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε). On the page: FORMULAS.reparameterisation, .dzdmu and
 * .dzdlogvar (core/explain/formulas.ts).
 */
export function reparameterize(posterior: Posterior, epsilon: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(posterior.mu, tf.mul(tf.exp(tf.mul(posterior.logVar, 0.5)), epsilon)));
}
