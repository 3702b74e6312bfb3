/**
 * Pixel likelihoods p(x|z) from the decoder's logits: the reconstruction term −log p(x|z) per
 * example (summed over pixels) and the decoder's mean image. Which likelihoods exist, and their
 * labels, is declared once in catalog.ts.
 *
 * Convention (the β-VAE literature's): each term is summed over pixels for one example, then
 * averaged over the batch elsewhere, so the numbers are nats per example, comparable with
 * published test −ELBOs on MNIST.
 */
import * as tf from '../tf';
import { BERNOULLI_NLL_GRAD_KERNEL, BERNOULLI_NLL_KERNEL } from '../../kernels/names';
import type { LikelihoodId } from './catalog';
import { GAUSSIAN_SIGMA } from './constants';

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

export { GAUSSIAN_SIGMA } from './constants';

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
export function reconstructionNllPerExample(likelihood: LikelihoodId, logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    if (likelihood === 'bernoulli' && fusedBernoulliAvailable(logits, x)) return fusedBernoulliNllPerExample(logits, x);
    const perPixel = likelihood === 'bernoulli' ? bernoulliNllFromLogits(logits, x) : gaussianNllFromLogits(logits, x);
    return tf.sum(perPixel, 1) as tf.Tensor1D;
  });
}

/** The decoder's mean image (in [0, 1]) for either likelihood. */
export function meanFromLogits(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.sigmoid(logits);
}

