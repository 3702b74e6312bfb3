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
 * log N(z; μ, diag σ²) per row for z = μ + σ ⊙ ε, from the noise ε that made it:
 *   −½ Σ_d (log 2π + log σ²_d + ε_d²)
 * (exact, and free of the cancellation in (z − μ)²/σ² when σ is small): log q(z|x) of the
 * importance-weighted bound's samples.
 */
export function diagonalGaussianLogDensityOfNoise(logVar: tf.Tensor2D, epsilon: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.sum(tf.add(tf.add(logVar, tf.square(epsilon)), LOG_2PI), 1), -0.5) as tf.Tensor1D);
}

/**
 * log N(z_i; μ_k, diag σ_k²) for every row i and component k, [n, K], expanded into products so no
 * [n, K, d] tensor is made (broadcast ops and their gradients are slow on wasm; matMul is our GEMM):
 *   −½ [ Σ_d z_d²/σ_kd² − 2 Σ_d z_d μ_kd/σ_kd² + c_k ],  c_k = Σ_d (μ_kd²/σ_kd² + log σ_kd² + log 2π).
 */
export function componentLogDensities(z: tf.Tensor2D, means: tf.Tensor2D, logVars: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const precision = tf.exp(tf.neg(logVars)); // [K, d]
    const quadratic = tf.matMul(tf.square(z), precision, false, true); // [n, K]
    const cross = tf.matMul(z, tf.mul(means, precision), false, true); // [n, K]
    const constant = tf.sum(tf.add(tf.add(tf.mul(tf.square(means), precision), logVars), LOG_2PI), 1); // [K]
    return tf.mul(tf.add(tf.sub(quadratic, tf.mul(cross, 2)), tf.expandDims(constant, 0)), -0.5) as tf.Tensor2D;
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
