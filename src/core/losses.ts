/**
 * The two terms of the ELBO, per example, and how they are reduced over a batch.
 *
 * Convention (the β-VAE literature's): each term is summed over pixels or latent dimensions for
 * one example, then averaged over the batch, so "β = 4" means what Higgins et al. mean by it and
 * the numbers are nats per example, comparable with published test −ELBOs on MNIST.
 */
import * as tf from '@tensorflow/tfjs';
import type { Likelihood, LossTerms, ObjectiveSpec, Posterior } from './types';

/**
 * Kernels a backend may register (ours on wasm: src/kernels/tfjsKernels.ts); where both are, the
 * Bernoulli reconstruction NLL of a batch is one kernel forward and one backward instead of ~8
 * and ~10 element-wise ops.
 *   BERNOULLI_NLL_KERNEL: inputs logits, x (float32 [n, p]) → [n], per row
 *     Σ_j max(l, 0) − l·x + log1p(e^(−|l|));
 *   BERNOULLI_NLL_GRAD_KERNEL: inputs logits, x [n, p], dy [n] → [n, p], (σ(l) − x)·dy[row].
 */
export const BERNOULLI_NLL_KERNEL = 'VaeBernoulliNllRows';
export const BERNOULLI_NLL_GRAD_KERNEL = 'VaeBernoulliNllGrad';

function fusedBernoulliAvailable(logits: tf.Tensor2D, x: tf.Tensor2D): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(BERNOULLI_NLL_KERNEL, backend) !== undefined &&
    tf.getKernel(BERNOULLI_NLL_GRAD_KERNEL, backend) !== undefined &&
    logits.dtype === 'float32' &&
    x.dtype === 'float32' &&
    tf.util.arraysEqual(logits.shape, x.shape)
  );
}

/**
 * Σ over pixels of bernoulliNllFromLogits, shape [n], as the two fused kernels: the gradient
 * with respect to the logits is written out, (σ(l) − x)·dy; x is data (a closed-over constant,
 * no gradient flows to it).
 */
function fusedBernoulliNllPerExample(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [l, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([l]);
    return {
      value: tf.engine().runKernel(BERNOULLI_NLL_KERNEL, { logits: l, x }) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(BERNOULLI_NLL_GRAD_KERNEL, { logits: saved[0], x, dy }) as tf.Tensor2D,
    };
  });
  return f(logits) as tf.Tensor1D;
}

/** Observation noise σ of the Gaussian likelihood, fixed: p(x|z) = N(x; sigmoid(logits), σ²I). */
export const GAUSSIAN_SIGMA = 0.1;

/**
 * −log Bernoulli(x; sigmoid(l)) per element, stable for any logit:
 *   −[x·log σ(l) + (1−x)·log(1−σ(l))] = max(l, 0) − l·x + log(1 + e^(−|l|)).
 * The naive form overflows to ∞ or NaN once |l| ≳ 17 in float32.
 */
export function bernoulliNllFromLogits(logits: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
  );
}

/** −log N(x; μ, σ²) per element with μ = sigmoid(logits), σ = GAUSSIAN_SIGMA. */
export function gaussianNllFromLogits(logits: tf.Tensor, x: tf.Tensor, sigma = GAUSSIAN_SIGMA): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.sigmoid(logits);
    const halfLog2PiVar = 0.5 * Math.log(2 * Math.PI * sigma * sigma);
    return tf.add(tf.mul(tf.squaredDifference(x, mean), 0.5 / (sigma * sigma)), halfLog2PiVar);
  });
}

/** Reconstruction NLL per example: the element-wise NLL summed over pixels, shape [n]. */
export function reconstructionNllPerExample(likelihood: Likelihood, logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    if (likelihood === 'bernoulli' && fusedBernoulliAvailable(logits, x)) return fusedBernoulliNllPerExample(logits, x);
    const perPixel = likelihood === 'bernoulli' ? bernoulliNllFromLogits(logits, x) : gaussianNllFromLogits(logits, x);
    return tf.sum(perPixel, 1) as tf.Tensor1D;
  });
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per example and latent dimension, shape [n, d], in closed form:
 *   ½ (μ² + σ² − 1 − log σ²).
 */
export function klPerExampleAndDim(posterior: Posterior): tf.Tensor2D {
  return tf.tidy(() => {
    const { mu, logVar } = posterior;
    return tf.mul(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 0.5) as tf.Tensor2D;
  });
}

/** The decoder's mean image (in [0, 1]) for either likelihood. */
export function meanFromLogits(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.sigmoid(logits);
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
): LossTerms<tf.Tensor> {
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
