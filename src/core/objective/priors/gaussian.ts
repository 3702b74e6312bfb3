/**
 * Log-densities of diagonal Gaussians and of their mixtures, the pieces every prior here is made
 * of. Each is summed over the latent dimensions, per row.
 */
import * as tf from '../../tf';

export const LOG_2PI = Math.log(2 * Math.PI);

/** log N(z; μ, diag exp(logVar)) per row, [n]: −½ Σ_d (log 2π + logVar_d + (z_d − μ_d)² / σ_d²). */
export function diagonalGaussianLogDensity(z: tf.Tensor2D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const mahalanobis = tf.div(tf.square(tf.sub(z, mu)), tf.exp(logVar));
    return tf.mul(tf.sum(tf.add(tf.add(mahalanobis, logVar), LOG_2PI), 1), -0.5) as tf.Tensor1D;
  });
}

/**
 * log N(z_i; μ_k, diag σ_k²) for every row i and component k, [n, K], by broadcasting
 * z [n, 1, d] against μ, log σ² [1, K, d].
 */
export function componentLogDensities(z: tf.Tensor2D, means: tf.Tensor2D, logVars: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(z, 1), tf.expandDims(means, 0));
    const lv = tf.expandDims(logVars, 0);
    const perDim = tf.add(tf.add(tf.div(tf.square(diff), tf.exp(lv)), lv), LOG_2PI);
    return tf.mul(tf.sum(perDim, 2), -0.5) as tf.Tensor2D;
  });
}

/** log Σ_k w_k N(z; μ_k, diag σ_k²) per row, [n], with log-weights [K] (log-sum-exp, stable). */
export function mixtureLogDensity(z: tf.Tensor2D, means: tf.Tensor2D, logVars: tf.Tensor2D, logWeights: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.logSumExp(tf.add(componentLogDensities(z, means, logVars), tf.expandDims(logWeights, 0)), 1) as tf.Tensor1D);
}

/** p(k | z) ∝ w_k N(z; μ_k, σ_k²), [n, K]: which component claims each z. */
export function responsibilities(z: tf.Tensor2D, means: tf.Tensor2D, logVars: tf.Tensor2D, logWeights: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.add(componentLogDensities(z, means, logVars), tf.expandDims(logWeights, 0)), 1) as tf.Tensor2D);
}
