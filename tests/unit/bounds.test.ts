/**
 * The importance-weighted bound: k = 1 is the ELBO estimate, the bound does not decrease with k on
 * a fixed seed, and on a linear-Gaussian model whose encoder is the exact posterior it is log p(x)
 * in closed form for every k. Chunked like the real thing; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gaussianLatentOf, type GaussianLatent } from '../../src/core/models/family';
import { checkBoundKs, ImportanceAccumulator, importanceLogWeights, importanceWeightedBounds } from '../../src/core/objective/bounds';
import { STANDARD_NORMAL_PRIOR } from '../../src/core/objective/priors';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { fixedNoise, givenNoise } from '../../src/core/training/noise';
import { Trainer } from '../../src/core/training/trainer';
import { prototypePatterns } from './helpers/data';
import { mlpVae } from './helpers/model';
import { TestRng } from './helpers/rng';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const LOG_2PI = Math.log(2 * Math.PI);
const MODEL = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 3, likelihood: 'bernoulli', seed: 11 });
const DATA = prototypePatterns(48, 77);

let live: Trainer | null = null;
afterEach(() => {
  live?.dispose();
  live = null;
});

/** A small VAE trained for a few steps (its posterior is not exact: the bound has room to rise). */
function trainedVae(steps = 120): Trainer {
  live = new Trainer(MODEL, { beta: 1, learningRate: 0.01, batchSize: 16 }, new TestRng(MODEL.seed));
  for (let s = 0; s < steps; s++) {
    const start = (s * 16) % DATA.count;
    const x = tf.tensor2d(DATA.images.subarray(start * DATA.dim, (start + 16) * DATA.dim), [16, DATA.dim]);
    live.trainStep(x);
    x.dispose();
  }
  return live;
}

describe('the importance-weighted bound on a VAE', () => {
  it('k = 1 is the single-sample ELBO estimate: log p(x|z) + log p(z) − log q(z|x) at the same z', async () => {
    const trainer = trainedVae();
    const n = 6;
    const images = DATA.images.subarray(0, n * DATA.dim);
    const epsilon = tf.randomNormal([n, MODEL.latentDim], 0, 1, 'float32', 5) as tf.Tensor2D;
    const { bounds, perImage } = await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), images, n, DATA.dim, { ks: [1], samples: 1, noise: givenNoise(epsilon) });
    // the same ε through the model's own loss: reconstruction −log p(x|z) per example
    const x = tf.tensor2d(images, [n, DATA.dim]);
    const losses = trainer.losses(x, givenNoise(epsilon), betaObjective(1), { perExample: true });
    const reconstruction = losses.perExample?.reconstruction.dataSync() as Float32Array;
    const { mu, logVar } = await trainer.encode(images, n);
    const eps = epsilon.dataSync();
    tf.dispose([x, epsilon, losses.negativeElbo, losses.objective, ...Object.values(losses.means), ...Object.values(losses.perExample ?? {}), losses.klPerDim ?? []]);
    for (let i = 0; i < n; i++) {
      let logPz = 0;
      let logQ = 0;
      for (let j = 0; j < MODEL.latentDim; j++) {
        const k = i * MODEL.latentDim + j;
        const z = mu[k] + Math.exp(0.5 * logVar[k]) * eps[k];
        logPz += -0.5 * (LOG_2PI + z * z);
        logQ += -0.5 * (LOG_2PI + logVar[k] + eps[k] * eps[k]);
      }
      expect(perImage[i]).toBeCloseTo(-reconstruction[i] + logPz - logQ, 3);
    }
    expect(bounds[0]).toBeCloseTo(Array.from(perImage).reduce((s, v) => s + v, 0) / n, 10);
  });

  it('k = 1 averaged over many samples agrees with the ELBO of the closed-form KL', async () => {
    const trainer = trainedVae();
    const n = 8;
    const images = DATA.images.subarray(0, n * DATA.dim);
    const { bounds } = await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), images, n, DATA.dim, { ks: [1], samples: 2000, noise: fixedNoise(9) });
    // −ELBO averaged over 50 evaluations with different ε
    let negativeElbo = 0;
    for (let seed = 0; seed < 50; seed++) negativeElbo += (await trainer.evaluate(images, n, 1000, 100 + seed)).negativeElbo / 50;
    expect(Math.abs(bounds[0] + negativeElbo)).toBeLessThan(0.25);
  });

  it('does not decrease with k on a fixed seed (1, 10, 100, 1000), and rises above the ELBO', async () => {
    const trainer = trainedVae();
    const n = 5;
    const ks = [1, 10, 100, 1000];
    const { bounds, perImage } = await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), DATA.images.subarray(0, n * DATA.dim), n, DATA.dim, { ks, samples: 1000, noise: fixedNoise(3), rowsPerChunk: 300 });
    for (let i = 0; i < n; i++) {
      for (let j = 1; j < ks.length; j++) expect(perImage[i * ks.length + j]).toBeGreaterThanOrEqual(perImage[i * ks.length + j - 1] - 1e-9);
    }
    for (let j = 1; j < ks.length; j++) expect(bounds[j]).toBeGreaterThanOrEqual(bounds[j - 1]);
    expect(bounds[3] - bounds[0]).toBeGreaterThan(0.05);
    // the same seed gives the same figures, chunked differently
    const again = await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), DATA.images.subarray(0, n * DATA.dim), n, DATA.dim, { ks, samples: 1000, noise: fixedNoise(3), rowsPerChunk: 300 });
    expect(again.bounds).toEqual(bounds);
  });

  it('reports progress, can be cancelled between chunks, and leaves no tensor behind', async () => {
    const trainer = trainedVae(10);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), DATA.images.subarray(0, 4 * DATA.dim), 4, DATA.dim, {
      ks: [1, 10, 100],
      samples: 100,
      noise: fixedNoise(1),
      rowsPerChunk: 150,
      betweenChunks: async (done, total) => {
        progress.push(done / total);
      },
    });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    expect(tf.memory().numTensors).toBe(before);
    const cancelled = importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), DATA.images.subarray(0, 4 * DATA.dim), 4, DATA.dim, {
      ks: [1, 10],
      samples: 40,
      noise: fixedNoise(1),
      rowsPerChunk: 20,
      betweenChunks: async (done) => {
        if (done >= 40) throw new Error('cancelled');
      },
    });
    await expect(cancelled).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is offered by the trainer for a Gaussian latent', async () => {
    const trainer = trainedVae(10);
    const before = tf.memory().numTensors;
    const result = await trainer.importanceWeightedBounds(DATA.images.subarray(0, 3 * DATA.dim), 3, { ks: [1, 10], samples: 10 });
    expect(result.ks).toEqual([1, 10]);
    expect(result.bounds.every(Number.isFinite)).toBe(true);
    expect(result.bounds[1]).toBeGreaterThanOrEqual(result.bounds[0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * p(z) = N(0, I₂), p(x|z) = N(Wz + b, s²I₄) with orthogonal columns w₁ ⟂ w₂, so the true posterior
 * N(m, S) is diagonal: S = diag(s² / (s² + |w_j|²)), m_j = w_j·(x − b) / (s² + |w_j|²), and
 * log p(x) = log N(x; b, WWᵀ + s²I) in closed form.
 */
const W = [
  [1.5, 0.5],
  [1.5, -0.5],
  [0, 1],
  [0, 0],
]; // columns (1.5, 1.5, 0, 0) and (0.5, −0.5, 1, 0): orthogonal
const B = [0.2, -0.1, 0.3, 0.05];
const S2 = 0.25;

function columnNormSq(j: number): number {
  return W.reduce((s, row) => s + row[j] * row[j], 0);
}

function exactLogMarginal(x: number[]): number {
  // Woodbury and the determinant lemma, with WᵀW diagonal
  const r = x.map((v, i) => v - B[i]);
  const rr = r.reduce((s, v) => s + v * v, 0);
  let quad = rr;
  let logDet = 4 * Math.log(S2);
  for (let j = 0; j < 2; j++) {
    const wr = W.reduce((s, row, i) => s + row[j] * r[i], 0);
    quad -= (wr * wr) / (S2 + columnNormSq(j));
    logDet += Math.log(1 + columnNormSq(j) / S2);
  }
  return -0.5 * (4 * LOG_2PI + logDet + quad / S2);
}

function exactPosteriorLatent(): GaussianLatent & { dispose(): void } {
  const w = tf.tensor2d(W); // [4, 2]
  const b = tf.tensor1d(B);
  const scale = tf.tensor1d([0, 1].map((j) => 1 / (S2 + columnNormSq(j))));
  const logVar = tf.tensor1d([0, 1].map((j) => Math.log(S2 / (S2 + columnNormSq(j)))));
  return {
    kind: 'gaussian',
    latentDim: 2,
    encode: (x) =>
      tf.tidy(() => {
        const mu = tf.mul(tf.matMul(tf.sub(x, b), w), scale) as tf.Tensor2D;
        return { mu, logVar: tf.tile(tf.expandDims(logVar, 0), [x.shape[0], 1]) as tf.Tensor2D };
      }),
    decode: (z) => tf.tidy(() => tf.add(tf.matMul(z, w, false, true), b) as tf.Tensor2D),
    logLikelihood: (x, z) =>
      tf.tidy(() => {
        const mean = tf.add(tf.matMul(z, w, false, true), b);
        return tf.mul(tf.sum(tf.add(tf.div(tf.squaredDifference(x, mean), S2), Math.log(2 * Math.PI * S2)), 1), -0.5) as tf.Tensor1D;
      }),
    prior: STANDARD_NORMAL_PRIOR,
    dispose: () => tf.dispose([w, b, scale, logVar]),
  };
}

describe('the importance-weighted bound on a linear-Gaussian model with the exact posterior', () => {
  it('every log-weight is log p(x), so the bound is log p(x) for every k', async () => {
    const latent = exactPosteriorLatent();
    const xs = [
      [0.3, 0.1, -0.4, 0.9],
      [2.5, 1.0, 0.0, -0.3],
      [-1.2, 0.4, 1.1, 0.2],
    ];
    const before = tf.memory().numTensors;
    const images = Float32Array.from(xs.flat());
    const { perImage, bounds } = await importanceWeightedBounds(latent, images, 3, 4, { ks: [1, 10, 100], samples: 100, noise: fixedNoise(4), rowsPerChunk: 37 });
    xs.forEach((x, i) => {
      for (let j = 0; j < 3; j++) expect(perImage[i * 3 + j]).toBeCloseTo(exactLogMarginal(x), 3);
    });
    const mean = xs.reduce((s, x) => s + exactLogMarginal(x), 0) / 3;
    for (const b of bounds) expect(b).toBeCloseTo(mean, 3);
    // and the weights themselves: zero variance
    const x = tf.tensor2d(images, [3, 4]);
    const posterior = latent.encode(x, null);
    const w = importanceLogWeights(latent, x, null, posterior, 50, fixedNoise(8));
    const values = Array.from(w.dataSync());
    tf.dispose([x, posterior.mu, posterior.logVar, w]);
    expect(Math.max(...values.slice(0, 50)) - Math.min(...values.slice(0, 50))).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
    latent.dispose();
  });
});

describe('the bound’s bookkeeping', () => {
  it('groups log-weights by k with a running log-sum-exp, exact on a hand case', () => {
    const acc = new ImportanceAccumulator(1, [1, 2, 4]);
    acc.add(0, [Math.log(1), Math.log(3)]);
    acc.add(0, [Math.log(2), Math.log(6)]);
    // k = 1: mean of logs; k = 2: mean of log((1+3)/2), log((2+6)/2); k = 4: log(12/4)
    expect(acc.boundOf(0, 0)).toBeCloseTo((Math.log(1) + Math.log(3) + Math.log(2) + Math.log(6)) / 4, 12);
    expect(acc.boundOf(0, 1)).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 12);
    expect(acc.boundOf(0, 2)).toBeCloseTo(Math.log(3), 12);
    // huge log-weights do not overflow
    const big = new ImportanceAccumulator(1, [2]);
    big.add(0, [-5000, -5000 + Math.log(3)]);
    expect(big.boundOf(0, 0)).toBeCloseTo(-5000 + Math.log(2), 9);
  });

  it('checks the k', () => {
    expect(checkBoundKs([1, 10, 100], 100)).toBeNull();
    expect(checkBoundKs([1, 1000], 100)).toMatch(/more than the 100 samples/);
    expect(checkBoundKs([10, 1], 100)).toMatch(/ascending/);
    expect(checkBoundKs([0.5], 100)).toMatch(/positive integer/);
  });
});
