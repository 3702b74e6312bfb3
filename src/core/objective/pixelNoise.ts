/**
 * Pixel-level randomness drawn from a model's Gaussian noise stream (so it stays seeded and
 * reproducible): uniforms by the normal CDF, dynamic binarisation and sampling a pixel from its
 * likelihood.
 */
import * as tf from '../tf';
import type { LikelihoodId } from './catalog';
import { GAUSSIAN_SIGMA } from './constants';
import { LOGISTIC_BINS } from './likelihoods';

/** u = Φ(ε) = ½(1 + erf(ε/√2)): uniform on (0, 1) when ε is standard normal. */
export function uniformFromNormal(epsilon: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.add(tf.erf(tf.mul(epsilon, Math.SQRT1_2)), 1), 0.5));
}

/**
 * Dynamic binarisation (as in Burda et al.'s IWAE experiments): each pixel becomes 1 with its
 * intensity as probability, 0 otherwise, from uniforms u (x_b = [u < x]). Fresh u, fresh images:
 * E[x_b] = x.
 */
export function binarise(x: tf.Tensor2D, uniforms: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.less(uniforms, x), 'float32') as tf.Tensor2D);
}

/**
 * Draw pixels from their likelihood given the decoder's logits and standard-normal ε of the same
 * shape: Bernoulli [Φ(ε) < sigmoid(l)]; Gaussian μ + σ·ε clipped to [0, 1]; discretised
 * logistic μ + s·log(u/(1−u)) with u = Φ(ε), rounded to one of the 256 grey levels.
 */
export function samplePixels(likelihood: LikelihoodId, logits: tf.Tensor, epsilon: tf.Tensor, logScale: tf.Tensor | null): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.sigmoid(logits);
    switch (likelihood) {
      case 'bernoulli':
      case 'binarised':
        return tf.cast(tf.less(uniformFromNormal(epsilon), mean), 'float32');
      case 'gaussian':
      case 'gaussian-learned': {
        const sigma = likelihood === 'gaussian' || !logScale ? tf.scalar(GAUSSIAN_SIGMA) : tf.exp(logScale);
        return tf.clipByValue(tf.add(mean, tf.mul(sigma, epsilon)), 0, 1);
      }
      case 'logistic': {
        const top = LOGISTIC_BINS - 1;
        const u = tf.clipByValue(uniformFromNormal(epsilon), 1e-6, 1 - 1e-6);
        const scale = logScale ? tf.exp(logScale) : tf.scalar(0.1);
        const value = tf.add(tf.sub(tf.mul(mean, 2), 1), tf.mul(scale, tf.sub(tf.log(u), tf.log1p(tf.neg(u)))));
        return tf.div(tf.clipByValue(tf.round(tf.mul(tf.add(value, 1), top / 2)), 0, top), top);
      }
    }
  });
}
