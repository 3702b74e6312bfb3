/**
 * The KL term of a diagonal Gaussian posterior against the standard normal prior, per example and
 * dimension, and the free-bits penalty built from it.
 */
import * as tf from '../tf';
import type { Posterior } from '../types';

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per example and latent dimension, shape [n, d], in closed form:
 *   ½ (μ² + σ² − 1 − log σ²)   (the page writes it as FORMULAS.klGaussian, core/explain/formulas.ts).
 */
export function klPerExampleAndDim(posterior: Posterior): tf.Tensor2D {
  return tf.tidy(() => {
    const { mu, logVar } = posterior;
    return tf.mul(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 0.5) as tf.Tensor2D;
  });
}

/**
 * The KL penalty of a batch from the per-dimension batch-mean KL, shape [d] → scalar.
 * Free bits (Kingma et al. 2016, "Improved variational inference with inverse autoregressive
 * flow"), λ per latent dimension:
 *   K = Σ_d max(λ, KL_d),  KL_d = mean over the batch of KL(q(z_d|x) ‖ N(0, 1)),
 * so a dimension whose KL is below λ gets no gradient pushing it lower. λ = 0: K = Σ_d KL_d.
 */
export function klPenalty(klPerDim: tf.Tensor1D, freeBits: number): tf.Scalar {
  return tf.tidy(() => (freeBits > 0 ? tf.sum(tf.maximum(klPerDim, freeBits)) : tf.sum(klPerDim)) as tf.Scalar);
}

