/** The KL term against a prior without a closed form, from the reparameterised sample. */
import * as tf from '../../tf';
import type { Posterior } from '../../types';
import { diagonalGaussianLogDensity } from './gaussian';
import type { PriorKl } from './prior';

/**
 * KL(q(z|x) ‖ p(z)) ≈ log q(z|x) − log p(z) at the one sample z ~ q(z|x) the reconstruction uses
 * (the reference's estimate): unbiased, differentiable through z (the reparameterisation), and
 * with no per-dimension split.
 */
export function oneSampleKl(posterior: Posterior, z: tf.Tensor2D, logPrior: (z: tf.Tensor2D) => tf.Tensor1D): PriorKl {
  const perExample = tf.tidy(() => tf.sub(diagonalGaussianLogDensity(z, posterior.mu, posterior.logVar), logPrior(z)) as tf.Tensor1D);
  return { perExample, perDim: null };
}
