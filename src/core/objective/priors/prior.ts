/**
 * What a prior p(z) offers a family with a Gaussian latent: its log-density (the KL term, the
 * IWAE bound), the KL term of a posterior against it, and — for the mixtures — its components
 * for the page (ellipses on the scatter, sampling one component, which component claims the
 * probe). A prior's learned variables live in the model's scope under `prior/…`, so they are
 * saved, checkpointed and optimised with the rest of the weights.
 */
import type * as tf from '../../tf';
import type { Posterior } from '../../types';
import type { PriorId } from '../catalog';

/** The KL term per example, and per dimension where it splits over dimensions. */
export interface PriorKl {
  /** [n] nats per example. */
  perExample: tf.Tensor1D;
  /**
   * [n, d] per example and dimension: only the standard normal's closed form splits over the
   * dimensions. A mixture couples them, so its one-sample estimate has no per-dimension part (null).
   */
  perDim: tf.Tensor2D | null;
}

/** A mixture prior's components, as tensors the caller owns. */
export type PriorComponents = {
  /** [K] mixture weights (sum 1). */
  weights: tf.Tensor1D;
  /** [K, d] component means and log-variances. */
  means: tf.Tensor2D;
  logVars: tf.Tensor2D;
  /** [K, pixels] the VampPrior's pseudo-inputs in [0, 1], null for other priors. */
  pseudoInputs: tf.Tensor2D | null;
};

export interface LatentPrior {
  readonly id: PriorId;
  /** log p(z) per row [n], in nats. */
  logDensity(z: tf.Tensor2D): tf.Tensor1D;
  /**
   * The KL term of q(z|x) = N(μ, σ²) against this prior, given the reparameterised sample z of
   * q: the closed form where there is one, else the one-sample estimate log q(z|x) − log p(z)
   * (unbiased for the KL, noisier, and negative for some examples).
   */
  kl(posterior: Posterior, z: tf.Tensor2D): PriorKl;
  /** The components of a mixture prior (null for the standard normal). */
  components(): PriorComponents | null;
}
