/**
 * Vector quantisation (van den Oord et al. 2017), as ../shared/reference/vae_torch.py --arch vq
 * computes it, on the encoder's outputs z_e flattened to one row per position [N, D] and a
 * codebook E [K, D]:
 *   k(n) = argmin_k ‖z_n − E_k‖²,  e_n = E_k(n),  z_q = z_e + sg[e − z_e]  (straight-through),
 *   codebook term ‖sg[z_e] − e‖² (its gradient reaches only E), commitment ‖z_e − sg[e]‖² (only z_e).
 * tfjs has no stop-gradient op (tfjs#967) and tfjs-wasm lacks UnsortedSegmentSum, the gradient of
 * gather: sg[·] is a custom gradient of zeros, and a code is looked up as a one-hot row times the
 * codebook, whose gradient Qᵀ·de is a plain product. Also the updates made outside the gradient:
 * the EMA codebook (the paper's appendix) and the restart of dead codes.
 */
import * as tf from '../../tf';
import { matMulTransposeA, matMulTransposeB } from '../../layers/dense';

/** sg[x]: x's value, no gradient (zeros flow back). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const shape = input.shape;
    return { value: tf.clone(input), gradFunc: () => tf.zeros(shape) };
  });
  return f(x) as T;
}

/**
 * The index of each row's nearest code: argmin_k ‖z − E_k‖² = argmin_k (‖E_k‖² − 2 z·E_k), int32 [N].
 * A choice, not differentiable: nothing downstream takes a gradient through it.
 */
export function nearestCodes(z: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(codebook), 1);
    const scores = tf.sub(squaredNorms, tf.mul(matMulTransposeB(z, codebook), 2));
    return tf.argMin(scores, 1) as tf.Tensor1D;
  });
}

/**
 * One-hot rows [N, K] (float32) of code indices. Made as int32 and cast: tfjs-wasm's OneHot
 * kernel writes int32 values whatever dtype it is asked for (read as float32 they are ~1e-45).
 */
export function oneHotCodes(indices: tf.Tensor1D, codebookSize: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(indices, codebookSize), 'float32') as tf.Tensor2D);
}

/**
 * e = Q·E: the codebook's rows picked by one-hot rows Q [N, K] (a constant here), with the
 * codebook's gradient Qᵀ·de as a plain product (gather's gradient needs a kernel tfjs-wasm lacks).
 */
export function lookupCodes(oneHot: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [e, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    // saved, so tfjs keeps it for the backward pass (a forward pass's other tensors are gone by then)
    save([oneHot]);
    return { value: tf.matMul(oneHot, e), gradFunc: (de: tf.Tensor, saved: tf.Tensor[]) => matMulTransposeA(saved[0] as tf.Tensor2D, de as tf.Tensor2D) };
  });
  return f(codebook) as tf.Tensor2D;
}

/** What quantising a batch gives: the decoder's input, the two distance terms per example, the choices. */
export interface Quantised {
  /** z_e + sg[e − z_e]: e's value, z_e's gradient (straight-through) [N, D]. */
  zq: tf.Tensor2D;
  /** ‖sg[z_e] − e‖² summed over each example's positions and D [n]: gradient to the codebook only. */
  codebookPerExample: tf.Tensor1D;
  /** ‖z_e − sg[e]‖² likewise [n] (unweighted): gradient to z_e only. */
  commitmentPerExample: tf.Tensor1D;
  /** The chosen code of each row [N] (int32) and its one-hot row [N, K]. */
  indices: tf.Tensor1D;
  oneHot: tf.Tensor2D;
}

/** Quantise z_e [N = n·positions, D] (rows example-major) with the codebook [K, D]. */
export function quantise(ze: tf.Tensor2D, codebook: tf.Tensor2D, positions: number): Quantised {
  return tf.tidy(() => {
    const indices = nearestCodes(ze, codebook);
    const oneHot = oneHotCodes(indices, codebook.shape[0]);
    const e = lookupCodes(oneHot, codebook);
    const n = ze.shape[0] / positions;
    const perExample = (rows: tf.Tensor2D) => tf.sum(tf.reshape(tf.sum(tf.square(rows), 1), [n, positions]), 1) as tf.Tensor1D;
    const codebookPerExample = perExample(tf.sub(e, stopGradient(ze)));
    const commitmentPerExample = perExample(tf.sub(ze, stopGradient(e)));
    const zq = tf.add(ze, stopGradient(tf.sub(e, ze))) as tf.Tensor2D;
    return { zq, codebookPerExample, commitmentPerExample, indices, oneHot };
  });
}

/** A batch's assignment statistics: how many rows chose each code [K], and their sum [K, D]. */
export interface Assignments {
  counts: tf.Tensor1D;
  sums: tf.Tensor2D;
}

export function assignments(oneHot: tf.Tensor2D, ze: tf.Tensor2D): Assignments {
  return tf.tidy(() => ({ counts: tf.sum(oneHot, 0) as tf.Tensor1D, sums: matMulTransposeA(oneHot, ze) }));
}

/** The EMA codebook's state: N_k, the running count of rows per code, and m_k, their running sum. */
export interface EmaState {
  count: tf.Tensor1D;
  sum: tf.Tensor2D;
}

/** Laplace smoothing of the counts (as in Sonnet's VQ-VAE): no code divides by zero. */
export const EMA_EPSILON = 1e-5;

/**
 * One EMA step (van den Oord et al. 2017, appendix A.1), with decay γ:
 *   N_k ← γ N_k + (1 − γ) n_k,   m_k ← γ m_k + (1 − γ) Σ_{rows on k} z_e,   E_k = m_k / Ñ_k,
 * where Ñ_k = (N_k + ε) / (Σ_j N_j + K ε) · Σ_j N_j (Laplace smoothing: a dead code is not a 0/0).
 * Returns new tensors (the caller assigns them).
 */
export function emaUpdate(state: EmaState, batch: Assignments, decay: number, epsilon = EMA_EPSILON): EmaState & { codebook: tf.Tensor2D } {
  return tf.tidy(() => {
    const count = tf.add(tf.mul(state.count, decay), tf.mul(batch.counts, 1 - decay)) as tf.Tensor1D;
    const sum = tf.add(tf.mul(state.sum, decay), tf.mul(batch.sums, 1 - decay)) as tf.Tensor2D;
    const total = tf.sum(count);
    const k = count.shape[0];
    const smoothed = tf.mul(tf.div(tf.add(count, epsilon), tf.add(total, k * epsilon)), total);
    const codebook = tf.div(sum, tf.expandDims(smoothed, 1)) as tf.Tensor2D;
    return { count, sum, codebook };
  });
}

/**
 * Dead-code restart: the codes no row chose over a window (`usage` [K] counts) are replaced by
 * `candidates` [K, D] (encoder outputs of a recent batch, one per code); the others stay as they
 * are. Returns the new codebook and the mask of restarted codes [K] (1 = restarted).
 */
export function restartDeadCodes(codebook: tf.Tensor2D, usage: tf.Tensor1D, candidates: tf.Tensor2D): { codebook: tf.Tensor2D; restarted: tf.Tensor1D } {
  return tf.tidy(() => {
    const dead = tf.equal(usage, 0);
    const mask = tf.tile(tf.expandDims(dead, 1), [1, codebook.shape[1]]);
    return { codebook: tf.where(mask, candidates, codebook) as tf.Tensor2D, restarted: tf.cast(dead, 'float32') as tf.Tensor1D };
  });
}
