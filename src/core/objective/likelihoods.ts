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
    // x is saved too: it may be an intermediate (M2 tiles each image once per class) that the
    // caller's tidy frees before the backward pass
    save([l, x]);
    return {
      value: tf.engine().runKernel(BERNOULLI_NLL_KERNEL, { logits: l, x }) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(BERNOULLI_NLL_GRAD_KERNEL, { logits: saved[0], x: saved[1], dy }) as tf.Tensor2D,
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

/**
 * −log N(x; μ, σ²) per element with μ = sigmoid(logits) and one learned σ = exp(logSigma) for
 * every pixel (a scalar variable of the model). For a fixed μ the NLL summed over a batch is
 * smallest at σ*² = the mean of (x − μ)² over its pixels: σ learns the decoder's RMS error.
 */
export function learnedGaussianNllFromLogits(logits: tf.Tensor, x: tf.Tensor, logSigma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.sigmoid(logits);
    const inverseVariance = tf.exp(tf.mul(logSigma, -2));
    return tf.add(tf.mul(tf.mul(tf.squaredDifference(x, mean), inverseVariance), 0.5), tf.add(logSigma, 0.5 * Math.log(2 * Math.PI)));
  });
}

/** Grey levels of the discretised logistic. */
export const LOGISTIC_BINS = 256;

/**
 * −log P(x) per element of the discretised logistic (Salimans et al. 2017, PixelCNN++): pixels
 * rescaled to [−1, 1] fall in one of 256 bins of half-width 1/255; the logistic has mean
 * μ = 2·sigmoid(l) − 1 and one learned scale s = exp(logScale). A bin takes the logistic's mass
 * between its edges; the first takes everything below its upper edge and the last everything
 * above its lower edge, so the 256 probabilities sum to 1 whatever μ and s.
 */
export function discretisedLogisticNll(logits: tf.Tensor, x: tf.Tensor, logScale: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const top = LOGISTIC_BINS - 1;
    const bin = tf.round(tf.mul(tf.clipByValue(x, 0, 1), top));
    const centre = tf.sub(tf.mul(bin, 2 / top), 1);
    const mu = tf.sub(tf.mul(tf.sigmoid(logits), 2), 1);
    const inverseScale = tf.exp(tf.neg(logScale));
    const offset = tf.sub(centre, mu);
    const plus = tf.mul(inverseScale, tf.add(offset, 1 / top));
    const minus = tf.mul(inverseScale, tf.sub(offset, 1 / top));
    const logCdfPlus = tf.sub(plus, tf.softplus(plus)); // log σ(plus)
    const logOneMinusCdfMinus = tf.neg(tf.softplus(minus)); // log(1 − σ(minus))
    // log(σ(p) − σ(m)) = m + log(e^δ − 1) − softplus(p) − softplus(m), δ = p − m = 2/(255·s) > 0,
    // with log(e^δ − 1) = δ + log(1 − e^(−δ)): finite for every bin, however unlikely, and no
    // branch on the parameters (tfjs cannot differentiate a comparison)
    const delta = tf.sub(plus, minus);
    const logMass = tf.sub(tf.add(minus, tf.add(delta, tf.log1p(tf.neg(tf.exp(tf.neg(delta)))))), tf.add(tf.softplus(plus), tf.softplus(minus)));
    const logP = tf.where(tf.lessEqual(bin, 0), logCdfPlus, tf.where(tf.greaterEqual(bin, top), logOneMinusCdfMinus, logMass));
    return tf.neg(logP);
  });
}

/**
 * Reconstruction NLL per example: the element-wise NLL summed over pixels, shape [n]. The
 * binarised Bernoulli is scored like the Bernoulli (the model binarises x first); the learned
 * scales need `logScale`, the model's scalar variable.
 */
export function reconstructionNllPerExample(likelihood: LikelihoodId, logits: tf.Tensor2D, x: tf.Tensor2D, logScale: tf.Tensor | null = null): tf.Tensor1D {
  return tf.tidy(() => {
    const bernoulli = likelihood === 'bernoulli' || likelihood === 'binarised';
    if (bernoulli && fusedBernoulliAvailable(logits, x)) return fusedBernoulliNllPerExample(logits, x);
    return tf.sum(pixelNll(likelihood, logits, x, logScale), 1) as tf.Tensor1D;
  });
}

/** −log p(x_i | parameters) per element, for any likelihood. */
export function pixelNll(likelihood: LikelihoodId, logits: tf.Tensor, x: tf.Tensor, logScale: tf.Tensor | null = null): tf.Tensor {
  const scale = (): tf.Tensor => {
    if (!logScale) throw new Error(`the ${likelihood} likelihood needs its learned scale`);
    return logScale;
  };
  switch (likelihood) {
    case 'bernoulli':
    case 'binarised':
      return bernoulliNllFromLogits(logits, x);
    case 'gaussian':
      return gaussianNllFromLogits(logits, x);
    case 'gaussian-learned':
      return learnedGaussianNllFromLogits(logits, x, scale());
    case 'logistic':
      return discretisedLogisticNll(logits, x, scale());
  }
}

/** The decoder's mean image (in [0, 1]) for every likelihood. */
export function meanFromLogits(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.sigmoid(logits);
}
