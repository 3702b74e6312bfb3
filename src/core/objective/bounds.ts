/**
 * The importance-weighted bound on log p(x) (Burda, Grosse & Salakhutdinov 2016):
 *
 *   L_k(x) = log (1/k) Σ_{i=1..k} w_i,   w_i = p(x|z_i) p(z_i) / q(z_i|x),   z_i ~ q(z|x).
 *
 * E[L_1] is the ELBO; E[L_k] does not decrease with k and tends to log p(x) as k → ∞. The gap
 * log p(x) − ELBO is KL(q(z|x) ‖ p(z|x)), how far the encoder's posterior is from the true one.
 *
 * One pass of K samples per image gives every k that divides K: the K log-weights are cut into
 * K/k groups of k and the group bounds averaged. That estimates E[L_k] with K/k times less
 * variance than a single group, and with k₁ | k₂ it cannot decrease from k₁ to k₂ even on one
 * draw (a group of k₂ pools k₂/k₁ groups of k₁: log of a mean ≥ mean of logs, Jensen).
 * The samples are drawn in chunks (K = 1000 and more fit in memory), the log-sum-exp kept running.
 */
import * as tf from '../tf';
import type { GaussianLatent, NoiseSource } from '../models/family';
import type { Posterior } from '../types';
import { diagonalGaussianLogDensityOfNoise } from './priors';

/**
 * log w = log p(x|z) + log p(z) − log q(z|x) for `samples` draws z = μ + σ ⊙ ε of each of the n
 * images x [n, pixels] with posterior q(z|x) = `posterior`: shape [n, samples] (row i = image i).
 * ε [n·samples, d] comes from `noise`. Returns a tensor the caller owns.
 */
export function importanceLogWeights(
  latent: Pick<GaussianLatent, 'logLikelihood' | 'prior'>,
  x: tf.Tensor2D,
  labels: tf.Tensor1D | null,
  posterior: Posterior,
  samples: number,
  noise: NoiseSource,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, d] = posterior.mu.shape;
    const epsilon = noise([n * samples, d]);
    // image i's row repeated for each of its samples
    const rows = tf.tensor1d(Int32Array.from({ length: n * samples }, (_, r) => Math.floor(r / samples)), 'int32');
    const mu = tf.gather(posterior.mu, rows) as tf.Tensor2D;
    const logVar = tf.gather(posterior.logVar, rows) as tf.Tensor2D;
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), epsilon)) as tf.Tensor2D;
    const logPxGivenZ = latent.logLikelihood(tf.gather(x, rows) as tf.Tensor2D, z, labels ? (tf.gather(labels, rows) as tf.Tensor1D) : null);
    const logPz = latent.prior.logDensity(z);
    const logQ = diagonalGaussianLogDensityOfNoise(logVar, epsilon);
    return tf.reshape(tf.sub(tf.add(logPxGivenZ, logPz), logQ), [n, samples]) as tf.Tensor2D;
  });
}

/** Check the k of a curve: ascending positive integers, each at most K. */
export function checkBoundKs(ks: readonly number[], samples: number): string | null {
  if (ks.length === 0) return 'at least one k';
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i];
    if (!Number.isInteger(k) || k < 1) return `k must be a positive integer, got ${k}`;
    if (k > samples) return `k = ${k} needs more than the ${samples} samples drawn`;
    if (i > 0 && k <= ks[i - 1]) return 'the k must be ascending';
  }
  return null;
}

/**
 * The group bounds of a stream of log-weights, per image and per k: for each k, the samples of
 * an image are cut into consecutive groups of k and each group's log (1/k) Σ w taken with a
 * running log-sum-exp. Samples of an image must arrive in order; images may interleave.
 */
export class ImportanceAccumulator {
  /** Per (image, k): running max and scaled sum of the current group, its size so far. */
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly inGroup: Int32Array;
  /** Per (image, k): Σ of completed group bounds, and their number. */
  private readonly total: Float64Array;
  private readonly groups: Int32Array;

  constructor(
    readonly count: number,
    readonly ks: readonly number[],
  ) {
    const cells = count * ks.length;
    this.max = new Float64Array(cells).fill(-Infinity);
    this.sum = new Float64Array(cells);
    this.inGroup = new Int32Array(cells);
    this.total = new Float64Array(cells);
    this.groups = new Int32Array(cells);
  }

  /** The log-weights of image `image`'s next samples. */
  add(image: number, logWeights: ArrayLike<number>): void {
    for (let j = 0; j < this.ks.length; j++) {
      const k = this.ks[j];
      const c = image * this.ks.length + j;
      let m = this.max[c];
      let s = this.sum[c];
      let g = this.inGroup[c];
      for (let i = 0; i < logWeights.length; i++) {
        const v = logWeights[i];
        if (v > m) {
          s = s * Math.exp(m - v) + 1;
          m = v;
        } else {
          s += Math.exp(v - m);
        }
        if (++g === k) {
          // a NaN weight makes the group NaN (it is reported, not hidden)
          this.total[c] += m === -Infinity ? -Infinity : m + Math.log(s) - Math.log(k);
          this.groups[c] += 1;
          m = -Infinity;
          s = 0;
          g = 0;
        }
      }
      this.max[c] = m;
      this.sum[c] = s;
      this.inGroup[c] = g;
    }
  }

  /** L_k of one image: the mean of its completed group bounds (NaN before the first group). */
  boundOf(image: number, kIndex: number): number {
    const c = image * this.ks.length + kIndex;
    return this.groups[c] > 0 ? this.total[c] / this.groups[c] : Number.NaN;
  }

  /** Each k's bound averaged over the images, in nats. */
  meanBounds(): number[] {
    return this.ks.map((_, j) => {
      let s = 0;
      for (let i = 0; i < this.count; i++) s += this.boundOf(i, j);
      return s / this.count;
    });
  }
}

export interface BoundOptions {
  /** The k of the curve (ascending; every one should divide `samples`). */
  ks: readonly number[];
  /** K: importance samples drawn per image (at least the largest k). */
  samples: number;
  noise: NoiseSource;
  /** Decoder rows per chunk (images × samples); bounds the memory. */
  rowsPerChunk?: number;
  /** Awaited after every chunk with the samples done so far and in all; a throw cancels. */
  betweenChunks?(done: number, total: number): Promise<void>;
}

export interface BoundResult {
  ks: number[];
  /** Each k's bound L_k averaged over the images, nats (negative: a log-likelihood). */
  bounds: number[];
  /** Per image and k, row-major [count, ks.length]. */
  perImage: Float64Array;
}

/**
 * The importance-weighted bounds L_k of `count` images (row-major [count, pixels] intensities),
 * for every k of `options.ks`, from `options.samples` draws per image, chunked and with a running
 * log-sum-exp. Tensors are freed chunk by chunk.
 */
export async function importanceWeightedBounds(
  latent: Pick<GaussianLatent, 'encode' | 'logLikelihood' | 'prior'>,
  images: Float32Array,
  count: number,
  pixels: number,
  options: BoundOptions,
  labels?: Uint8Array,
): Promise<BoundResult> {
  const { ks, samples, noise } = options;
  const problem = checkBoundKs(ks, samples);
  if (problem) throw new Error(`importance-weighted bound: ${problem}`);
  const rows = Math.max(1, options.rowsPerChunk ?? 1000);
  // several images per chunk when K is small, else one image's samples over several chunks
  const imagesPerChunk = Math.max(1, Math.floor(rows / samples));
  const samplesPerChunk = Math.min(samples, rows);
  const acc = new ImportanceAccumulator(count, ks);
  const total = count * samples;
  for (let first = 0; first < count; first += imagesPerChunk) {
    const n = Math.min(imagesPerChunk, count - first);
    const x = tf.tensor2d(images.subarray(first * pixels, (first + n) * pixels), [n, pixels]);
    const y = labels ? tf.tensor1d(labels.subarray(first, first + n), 'int32') : null;
    const posterior = latent.encode(x, y);
    try {
      for (let drawn = 0; drawn < samples; drawn += samplesPerChunk) {
        const c = Math.min(samplesPerChunk, samples - drawn);
        const w = importanceLogWeights(latent, x, y, posterior, c, noise);
        const values = await w.data();
        w.dispose();
        for (let i = 0; i < n; i++) acc.add(first + i, values.subarray(i * c, (i + 1) * c));
        await options.betweenChunks?.(first * samples + n * (drawn + c), total);
      }
    } finally {
      x.dispose();
      y?.dispose();
      posterior.mu.dispose();
      posterior.logVar.dispose();
    }
  }
  const perImage = new Float64Array(count * ks.length);
  for (let i = 0; i < count; i++) for (let j = 0; j < ks.length; j++) perImage[i * ks.length + j] = acc.boundOf(i, j);
  return { ks: [...ks], bounds: acc.meanBounds(), perImage };
}
