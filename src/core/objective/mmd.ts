/**
 * The maximum mean discrepancy of InfoVAE / MMD-VAE (Zhao, Song & Ermon 2017): how far the codes
 * of a batch z ~ q(z) (the aggregate posterior) are from samples of the prior, with a Gaussian
 * kernel k(a, b) = exp(−‖a − b‖² / d) (d latent dimensions, the paper's bandwidth):
 *
 *   MMD²(q, p) ≈ mean_ij k(a_i, a_j) + mean_ij k(b_i, b_j) − 2·mean_ij k(a_i, b_j)
 *
 * (the biased estimate over all pairs, diagonal included: exactly 0 for two identical sets, and
 * never negative). Unlike the KL per example, it only asks the codes *together* to look like the
 * prior, so each code may keep what it says about its own image.
 */
import * as tf from '../tf';

/** The kernel matrix [n, m] between the rows of a [n, d] and b [m, d]. */
export function gaussianKernel(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const d = a.shape[1];
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, b.shape[0]]);
    const squared = tf.relu(tf.sub(tf.add(aa, bb), tf.mul(tf.matMul(a, b, false, true), 2)));
    return tf.exp(tf.div(tf.neg(squared), d)) as tf.Tensor2D;
  });
}

/** MMD² between the samples a [n, d] and b [m, d], a scalar. */
export function maximumMeanDiscrepancy(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const value = tf.sub(tf.add(tf.mean(gaussianKernel(a, a)), tf.mean(gaussianKernel(b, b))), tf.mul(tf.mean(gaussianKernel(a, b)), 2));
    return tf.relu(value) as tf.Scalar;
  });
}
