/**
 * The objective of a model with a Gaussian latent: the per-example reconstruction and KL terms
 * reduced to batch means and combined with the schedule's weight, free bits and a capacity
 * target, for the objective kinds of the catalog (VAE, plain autoencoder, KL-only, β-TCVAE).
 */
import * as tf from '../tf';
import type { FamilyOptions } from '../models/config';
import type { ObjectiveKind } from './catalog';
import { klPenalty } from './kl';
import type { PriorKl } from './priors/prior';

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
  /**
   * InfoVAE / MMD-VAE: present, the KL penalty is replaced by λ·MMD(q(z), p(z)) on the batch
   * (the reported KL and −ELBO stay the true ones). Absent: the ELBO's KL.
   */
  mmdWeight?: number;
  /** Fraction of an autoregressive decoder's context pixels dropped (training only). Absent or 0: off. */
  contextDropout?: number;
  /** The family's own live settings (the semi-supervised classifier's weight α, …). */
  options?: FamilyOptions;
  /**
   * The training images a batch stands for: the N of the KL decomposition's estimator
   * (klDecomposition.ts). Absent or 0: the batch is taken for the whole set.
   */
  datasetSize?: number;
}

/** The batch means of a Gaussian model's terms, each a scalar in nats per example. */
export interface GaussianTerms {
  /** −E_q[log p(x|z)], summed over pixels, averaged over the batch (at z = μ for the autoencoder). */
  reconstruction: tf.Tensor;
  /** KL(q(z|x) ‖ p(z)), summed over latent dimensions, averaged over the batch. */
  kl: tf.Tensor;
  /** KL per latent dimension, averaged over the batch (length latentDim); null when the KL does not split over dimensions. */
  klPerDim: tf.Tensor | null;
  /** reconstruction + KL: the negative ELBO (β = 1), whatever β the optimiser uses. */
  negativeElbo: tf.Tensor;
  /**
   * What the optimiser minimises: reconstruction + w·K for the VAE (K = KL, or Σ_d max(λ, KL_d)
   * with free bits; w·|K − C| under capacity annealing), reconstruction only for the
   * autoencoder, w·K (or w·|K − C|) only for 'kl-only', reconstruction + K + (w − 1)·TC for
   * β-TCVAE (the capacity target is not used).
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
 *   vae: recon + KLterm (recon + λ·MMD under InfoVAE);  autoencoder: recon;  kl-only: KLterm;
 *   tcvae: recon + K + (w − 1)·mean(TC) (Chen et al. 2018 with α = γ = 1: in expectation their
 *   MI + β·TC + dimension-wise KL, with the closed-form KL for the three parts' sum).
 * The KL comes per example and dimension [n, d] (the standard normal's closed form), or as a
 * prior's PriorKl, whose one-sample estimate has no per-dimension part: free bits, which floor
 * each dimension's KL, then have nothing to act on and are not applied.
 * The reported kl, klPerDim and negativeElbo are always the true (unweighted, un-floored) ones.
 * A number for `spec` means the plain VAE with that β. `totalCorrelation` [n or fewer rows]:
 * the per-sample estimates the β-TCVAE objective weights (required for it). `mmd`: InfoVAE's
 * MMD(q(z), p(z)) on the batch, used when the spec has an mmdWeight. Returns tensors the caller owns.
 */
export function combineTerms(
  reconstructionPerExample: tf.Tensor1D,
  klOfExamples: tf.Tensor2D | PriorKl,
  spec: number | ObjectiveSpec,
  totalCorrelation?: tf.Tensor1D,
  mmd: tf.Scalar | null = null,
): GaussianTerms {
  const { kind, klWeight, capacity, freeBits, mmdWeight } = typeof spec === 'number' ? betaObjective(spec) : spec;
  // (tidy returns no nulls: a missing per-dimension KL is filled in outside)
  const terms = tf.tidy(() => {
    const reconstruction = tf.mean(reconstructionPerExample);
    const perDim = klOfExamples instanceof tf.Tensor ? klOfExamples : klOfExamples.perDim;
    const klPerDim = perDim ? (tf.mean(perDim, 0) as tf.Tensor1D) : null;
    const kl = klPerDim ? tf.sum(klPerDim) : tf.mean((klOfExamples as PriorKl).perExample);
    const negativeElbo = tf.add(reconstruction, kl);
    const klTerm = (): tf.Tensor => {
      const penalty = freeBits > 0 && klPerDim ? klPenalty(klPerDim, freeBits) : kl;
      const target = capacity === null ? penalty : tf.abs(tf.sub(penalty, capacity));
      return klWeight === 1 ? target : tf.mul(target, klWeight);
    };
    let objective: tf.Tensor;
    if (kind === 'tcvae') {
      if (!totalCorrelation) throw new Error('the β-TCVAE objective needs the total correlation');
      const penalty = freeBits > 0 && klPerDim ? klPenalty(klPerDim, freeBits) : kl;
      objective = tf.add(tf.add(reconstruction, penalty), tf.mul(tf.mean(totalCorrelation), klWeight - 1));
    } else if (kind === 'autoencoder') objective = reconstruction.clone();
    else if (kind === 'vae' && mmdWeight !== undefined && mmd) objective = tf.add(reconstruction, tf.mul(mmd, mmdWeight));
    else if (kind === 'kl-only') objective = klTerm().clone();
    else if (klWeight === 1 && (freeBits <= 0 || !klPerDim) && capacity === null) objective = negativeElbo.clone();
    else objective = tf.add(reconstruction, klTerm());
    return klPerDim ? { reconstruction, kl, klPerDim, negativeElbo, objective } : { reconstruction, kl, negativeElbo, objective };
  });
  return { klPerDim: null, ...terms };
}
