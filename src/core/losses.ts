/**
 * The two terms of the ELBO, per example, and how they are reduced over a batch.
 *
 * Convention (the β-VAE literature's): each term is summed over pixels or latent dimensions for
 * one example, then averaged over the batch, so "β = 4" means what Higgins et al. mean by it and
 * the numbers are nats per example, comparable with published test −ELBOs on MNIST.
 */
import * as tf from '@tensorflow/tfjs';
import type { Likelihood, LossTerms, Posterior } from './types';

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
 * Reduce per-example terms to batch means and combine them with β.
 * Returns scalars (and klPerDim as a vector) that the caller owns.
 */
export function combineTerms(reconstructionPerExample: tf.Tensor1D, klPerDimPerExample: tf.Tensor2D, beta: number): LossTerms<tf.Tensor> {
  return tf.tidy(() => {
    const reconstruction = tf.mean(reconstructionPerExample);
    const klPerDim = tf.mean(klPerDimPerExample, 0);
    const kl = tf.sum(klPerDim);
    const negativeElbo = tf.add(reconstruction, kl);
    const objective = beta === 1 ? negativeElbo.clone() : tf.add(reconstruction, tf.mul(kl, beta));
    return { reconstruction, kl, klPerDim, negativeElbo, objective };
  });
}
