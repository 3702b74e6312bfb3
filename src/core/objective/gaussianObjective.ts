/**
 * The objective of a model with a Gaussian latent: the per-example reconstruction and KL terms
 * reduced to batch means and combined with the schedule's weight, free bits and a capacity
 * target, for the three objective kinds of the catalog (VAE, plain autoencoder, KL-only).
 */
import * as tf from '../tf';
import type { FamilyOptions } from '../models/config';
import type { ObjectiveKind } from './catalog';
import { klPenalty } from './kl';

/**
 * The objective of one step, resolved from the training config and the step (training/config.ts):
 * everything combineTerms needs beyond the per-example terms.
 */
export interface ObjectiveSpec {
  kind: ObjectiveKind;
  /** Weight of the KL penalty: β(t) from the schedule, γ for capacity annealing, 0 for the autoencoder. */
  klWeight: number;
  /** KL target C(t) in nats (capacity annealing: penalty γ·|KL − C|), or null. */
  capacity: number | null;
  /** Free bits λ per latent dimension, nats; 0 = off. */
  freeBits: number;
  /** The family's own live settings (the semi-supervised classifier's weight α, …). */
  options?: FamilyOptions;
}

/** The batch means of a Gaussian model's terms, each a scalar in nats per example. */
export interface GaussianTerms {
  /** −E_q[log p(x|z)], summed over pixels, averaged over the batch (at z = μ for the autoencoder). */
  reconstruction: tf.Tensor;
  /** KL(q(z|x) ‖ p(z)), summed over latent dimensions, averaged over the batch. */
  kl: tf.Tensor;
  /** KL per latent dimension, averaged over the batch (length latentDim). */
  klPerDim: tf.Tensor;
  /** reconstruction + KL: the negative ELBO (β = 1), whatever β the optimiser uses. */
  negativeElbo: tf.Tensor;
  /**
   * What the optimiser minimises: reconstruction + w·K for the VAE (K = KL, or Σ_d max(λ, KL_d)
   * with free bits; w·|K − C| under capacity annealing), reconstruction only for the
   * autoencoder, w·K (or w·|K − C|) only for 'kl-only'.
   */
  objective: tf.Tensor;
}

/** The spec of the plain objective reconstruction + β·KL (what a bare β means). */
export function betaObjective(beta: number): ObjectiveSpec {
  return { kind: 'vae', klWeight: beta, capacity: null, freeBits: 0 };
}

/**
 * Reduce per-example terms to batch means and combine them into the objective:
 *   K = klPenalty(KL_d, λ);  KLterm = w·K, or w·|K − C| under capacity annealing
 *   (Burgess et al. 2018, "Understanding disentangling in β-VAE");
 *   vae: recon + KLterm;  autoencoder: recon;  kl-only: KLterm.
 * The reported kl, klPerDim and negativeElbo are always the true (unweighted, un-floored) ones.
 * A number for `spec` means the plain VAE with that β. Returns tensors the caller owns.
 */
export function combineTerms(
  reconstructionPerExample: tf.Tensor1D,
  klPerDimPerExample: tf.Tensor2D,
  spec: number | ObjectiveSpec,
): GaussianTerms {
  const { kind, klWeight, capacity, freeBits } = typeof spec === 'number' ? betaObjective(spec) : spec;
  return tf.tidy(() => {
    const reconstruction = tf.mean(reconstructionPerExample);
    const klPerDim = tf.mean(klPerDimPerExample, 0) as tf.Tensor1D;
    const kl = tf.sum(klPerDim);
    const negativeElbo = tf.add(reconstruction, kl);
    const klTerm = (): tf.Tensor => {
      const penalty = freeBits > 0 ? klPenalty(klPerDim, freeBits) : kl;
      const target = capacity === null ? penalty : tf.abs(tf.sub(penalty, capacity));
      return klWeight === 1 ? target : tf.mul(target, klWeight);
    };
    let objective: tf.Tensor;
    if (kind === 'autoencoder') objective = reconstruction.clone();
    else if (kind === 'kl-only') objective = klTerm().clone();
    else if (klWeight === 1 && freeBits <= 0 && capacity === null) objective = negativeElbo.clone();
    else objective = tf.add(reconstruction, klTerm());
    return { reconstruction, kl, klPerDim, negativeElbo, objective };
  });
}
