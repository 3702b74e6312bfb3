/**
 * The KL term split in three (Chen et al. 2018, "Isolating sources of disentanglement in VAEs"):
 * with the aggregate posterior q(z) = (1/N) Σ_n q(z|x_n) over the N training images and its
 * marginals q(z_d),
 *   E_x KL(q(z|x) ‖ p(z)) = I(x; z)                     index-code mutual information
 *                         + KL(q(z) ‖ Π_d q(z_d))       total correlation (TC)
 *                         + Σ_d KL(q(z_d) ‖ p(z_d))      dimension-wise KL,
 * for a factorised prior p(z) = Π_d p(z_d) (here N(0, I)).
 *
 * q(z) is estimated at each sample z_i ~ q(z|x_i) of a minibatch of M by minibatch-weighted
 * sampling: q(z_i) ≈ Σ_j w_ij q(z_i|x_j), likewise each marginal, with the weights of a batch
 * that stands for the whole training set: the sample's own image has the weight 1/N it has in
 * q(z), and the other M − 1 images share the remaining (N − 1)/N equally, as stand-ins for the
 * N − 1 other training images (an unbiased estimate of q(z_i) for a batch drawn at random).
 * The weights sum to one. (The paper prints every weight as 1/(NM), which sums to 1/N: the same
 * gradients up to the own image's share, but its log q(z) is off by −log N, which moves the
 * three parts by constants: TC by (D − 1)·log N, ~99 nats on MNIST at D = 10, so a factorised
 * posterior would show a large TC. With N = M the weights are uniform, 1/M.)
 *
 * Per sample i, with log q(z_i|x_i) = −½ Σ_d (log 2π + log σ²_id + ε²_id) and log p(z_i) the
 * prior's log-density:
 *   MI_i  = log q(z_i|x_i) − log q(z_i)
 *   TC_i  = log q(z_i) − Σ_d log q(z_id)
 *   DKL_i = Σ_d log q(z_id) − log p(z_i)
 * They sum to log q(z_i|x_i) − log p(z_i), the one-sample estimate of the KL term, exactly: the
 * estimator's identity. Each is an estimate from the batch (biased for small M, and it can come
 * out negative when the true part is near 0); its batch mean is what the chart shows.
 */
import * as tf from '../tf';
import type { Posterior } from '../types';

const LOG_2PI = Math.log(2 * Math.PI);

/** Batches larger than this are split into groups of about this size ([M, M, d] tensors stay small). */
export const DECOMPOSITION_GROUP = 256;

/**
 * Samples decomposed per training step for the chart (each against every posterior of the batch):
 * the batch means of the parts at a fraction of the cost. The β-TCVAE objective and per-example
 * scores decompose every sample.
 */
export const CHART_SAMPLE_ROWS = 32;

/** The three parts per example [n], in nats. */
export type KlDecomposition = {
  mutualInformation: tf.Tensor1D;
  totalCorrelation: tf.Tensor1D;
  dimensionWiseKl: tf.Tensor1D;
};

/**
 * log w_ij [r, m] for the first r samples against m posteriors: 1/N on the diagonal (a sample's
 * own image), (N − 1)/(N(m − 1)) elsewhere; a batch larger than N (tests, a tiny set) is taken
 * for the whole set (N = m: uniform 1/m).
 */
function logWeights(r: number, m: number, datasetSize: number): tf.Tensor2D {
  const n = Math.max(datasetSize, m);
  if (m === 1) return tf.zeros([r, 1]);
  const own = -Math.log(n);
  const other = Math.log(n - 1) - Math.log(n) - Math.log(m - 1);
  return tf.tidy(() => tf.add(tf.mul(tf.eye(r, m), own - other), other) as tf.Tensor2D);
}

/** log Σ_j exp(a_ij + b_ij) over axis 1. */
function logSumExpRows(x: tf.Tensor): tf.Tensor {
  return tf.logSumExp(x, 1);
}

/**
 * The decomposition of a group's samples (the first r rows: z, ε [r, d]) against that group's
 * m posteriors (μ, log σ² [m, d]; sample i belongs to posterior i), [r, 3].
 */
function decomposeGroup(mu: tf.Tensor2D, logVar: tf.Tensor2D, z: tf.Tensor2D, epsilon: tf.Tensor2D, datasetSize: number): tf.Tensor2D {
  return tf.tidy(() => {
    const m = mu.shape[0];
    const r = z.shape[0];
    // log q(z_id | x_j) for every sample i, image j, dimension d: [r, m, d]
    const diff = tf.sub(tf.expandDims(z, 1), tf.expandDims(mu, 0));
    const scaled = tf.mul(tf.square(diff), tf.expandDims(tf.exp(tf.neg(logVar)), 0));
    const logDensity = tf.mul(tf.add(tf.add(scaled, tf.expandDims(logVar, 0)), LOG_2PI), -0.5);
    const logW = logWeights(r, m, datasetSize);
    // log q(z_i) [m] and Σ_d log q(z_id) [m]
    const logQz = logSumExpRows(tf.add(tf.sum(logDensity, 2), logW));
    const logQzProduct = tf.sum(logSumExpRows(tf.add(logDensity, tf.expandDims(logW, 2))), 1);
    // the sample's own density from its noise (exact, free of (z − μ)²/σ² cancellation)
    const ownLogVar = r === m ? logVar : tf.slice(logVar, [0, 0], [r, -1]);
    const logQzx = tf.mul(tf.sum(tf.add(tf.add(ownLogVar, tf.square(epsilon)), LOG_2PI), 1), -0.5);
    const logPz = tf.mul(tf.sum(tf.add(tf.square(z), LOG_2PI), 1), -0.5);
    return tf.stack([tf.sub(logQzx, logQz), tf.sub(logQz, logQzProduct), tf.sub(logQzProduct, logPz)], 1) as tf.Tensor2D;
  });
}

/**
 * The three parts for samples z = μ + σ ⊙ ε of a batch's posteriors against the standard normal
 * prior, each sample against the posteriors of its group (the batch, or groups of about
 * DECOMPOSITION_GROUP rows of a larger one). `datasetSize` N: the training images the batch
 * stands for. `sampleRows` r < batch size: only the first r samples are decomposed (against the
 * posteriors of the first group), a cheaper estimate of the batch means for the chart; the parts
 * then have r rows. Differentiable (the β-TCVAE objective weights the total correlation).
 */
export function klDecomposition(posterior: Posterior, z: tf.Tensor2D, epsilon: tf.Tensor2D, datasetSize: number, sampleRows = Number.POSITIVE_INFINITY): KlDecomposition {
  return tf.tidy(() => {
    const n = z.shape[0];
    const groups = Math.max(1, Math.ceil(n / DECOMPOSITION_GROUP));
    const size = Math.ceil(n / groups);
    const rows = (t: tf.Tensor2D, start: number, count: number) => (start === 0 && count === n ? t : (tf.slice(t, [start, 0], [count, -1]) as tf.Tensor2D));
    let all: tf.Tensor2D;
    if (sampleRows < n) {
      const r = Math.max(1, Math.min(Math.floor(sampleRows), size));
      all = decomposeGroup(rows(posterior.mu, 0, size), rows(posterior.logVar, 0, size), rows(z, 0, r), rows(epsilon, 0, r), datasetSize);
    } else {
      const parts: tf.Tensor2D[] = [];
      for (let start = 0; start < n; start += size) {
        const count = Math.min(size, n - start);
        parts.push(decomposeGroup(rows(posterior.mu, start, count), rows(posterior.logVar, start, count), rows(z, start, count), rows(epsilon, start, count), datasetSize));
      }
      all = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    }
    const [mutualInformation, totalCorrelation, dimensionWiseKl] = tf.unstack(all, 1) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    return { mutualInformation, totalCorrelation, dimensionWiseKl };
  });
}
