/**
 * The KL decomposition of β-TCVAE (index-code MI, total correlation, dimension-wise KL) by
 * minibatch-weighted sampling: against the estimator written out in float64 on a small case, the
 * estimator's identity (the parts sum to the one-sample KL estimate log q(z|x) − log p(z)),
 * its expectation (the closed-form KL), a factorised aggregate posterior (TC = 0) against a
 * correlated one (TC clearly > 0), groups of a large batch, gradients and tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECOMPOSITION_GROUP, klDecomposition, type KlDecomposition } from '../../src/core/objective/klDecomposition';
import { klPerExampleAndDim } from '../../src/core/objective/kl';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const LOG_2PI = Math.log(2 * Math.PI);

/** Standard normal draws (Box–Muller) from a seeded source. */
function normals(n: number, seed: number): number[] {
  const rng = new TestRng(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
}

interface Case {
  mu: number[][];
  logVar: number[][];
  eps: number[][];
}

function randomCase(m: number, d: number, seed: number, spread = 1): Case {
  const a = normals(m * d * 3, seed);
  const rows = (k: number, scale: number, shift = 0) => Array.from({ length: m }, (_, i) => Array.from({ length: d }, (_, j) => shift + scale * a[k * m * d + i * d + j]));
  return { mu: rows(0, spread), logVar: rows(1, 0.5, -1), eps: rows(2, 1) };
}

/** The three parts per sample in float64, straight from the definitions and the weights. */
function bruteForce({ mu, logVar, eps }: Case, datasetSize: number): number[][] {
  const m = mu.length;
  const d = mu[0].length;
  const n = Math.max(datasetSize, m);
  const weight = (i: number, j: number) => (m === 1 ? 1 : i === j ? 1 / n : (n - 1) / (n * (m - 1)));
  const z = mu.map((row, i) => row.map((u, k) => u + Math.exp(0.5 * logVar[i][k]) * eps[i][k]));
  const logNormal = (x: number, u: number, lv: number) => -0.5 * (LOG_2PI + lv + ((x - u) * (x - u)) / Math.exp(lv));
  return z.map((zi, i) => {
    let qz = 0;
    for (let j = 0; j < m; j++) qz += weight(i, j) * Math.exp(zi.reduce((s, x, k) => s + logNormal(x, mu[j][k], logVar[j][k]), 0));
    let logProduct = 0;
    for (let k = 0; k < d; k++) {
      let qk = 0;
      for (let j = 0; j < m; j++) qk += weight(i, j) * Math.exp(logNormal(zi[k], mu[j][k], logVar[j][k]));
      logProduct += Math.log(qk);
    }
    const logQzx = zi.reduce((s, x, k) => s + logNormal(x, mu[i][k], logVar[i][k]), 0);
    const logPz = zi.reduce((s, x) => s - 0.5 * (LOG_2PI + x * x), 0);
    return [logQzx - Math.log(qz), Math.log(qz) - logProduct, logProduct - logPz];
  });
}

function decompose(c: Case, datasetSize: number): number[][] {
  return tf.tidy(() => {
    const mu = tf.tensor2d(c.mu);
    const logVar = tf.tensor2d(c.logVar);
    const eps = tf.tensor2d(c.eps);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
    const parts = klDecomposition({ mu, logVar }, z, eps, datasetSize);
    const [a, b, e] = [parts.mutualInformation, parts.totalCorrelation, parts.dimensionWiseKl].map(values);
    return a.map((x, i) => [x, b[i], e[i]]);
  }) as unknown as number[][];
}

const column = (rows: number[][], k: number) => rows.map((r) => r[k]);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('klDecomposition', () => {
  it('computes the minibatch-weighted-sampling estimate (float64 brute force, a batch standing for a larger set)', () => {
    for (const [m, d, n] of [
      [5, 3, 50],
      [4, 2, 4],
      [6, 4, 60_000],
    ]) {
      const c = randomCase(m, d, 100 + m * d);
      const got = decompose(c, n);
      const want = bruteForce(c, n);
      for (let k = 0; k < 3; k++) expectAllClose(column(got, k), column(want, k), 2e-3, 1e-4);
    }
  });

  it('sums to the one-sample KL estimate log q(z|x) − log p(z) (the identity), whatever N', () => {
    const c = randomCase(16, 5, 7);
    const z = c.mu.map((row, i) => row.map((u, k) => u + Math.exp(0.5 * c.logVar[i][k]) * c.eps[i][k]));
    const oneSample = z.map((zi, i) => zi.reduce((s, x, k) => s - 0.5 * (c.logVar[i][k] + c.eps[i][k] ** 2) + 0.5 * x * x, 0));
    for (const n of [16, 1000, 60_000]) {
      const got = decompose(c, n);
      expectAllClose(
        got.map((r) => r[0] + r[1] + r[2]),
        oneSample,
        1e-3,
        1e-5,
      );
    }
  });

  it('averages to the closed-form KL over many samples of ε (one image: MI = TC = 0)', () => {
    // one training image, so q(z) = q(z|x): MI and TC vanish and the dimension-wise KL is the KL
    const draws = 4000;
    const eps = normals(draws * 3, 5);
    const mu = [0.7, -1.2, 0.1];
    const logVar = [-0.5, 0.3, -2];
    const totals = [0, 0, 0];
    for (let s = 0; s < draws; s++) {
      const parts = decompose({ mu: [mu], logVar: [logVar], eps: [eps.slice(3 * s, 3 * s + 3)] }, 1)[0];
      parts.forEach((p, k) => (totals[k] += p / draws));
    }
    const closedForm = values(tf.tidy(() => tf.sum(klPerExampleAndDim({ mu: tf.tensor2d([mu]), logVar: tf.tensor2d([logVar]) }))))[0];
    expect(Math.abs(totals[0])).toBeLessThan(1e-4);
    expect(Math.abs(totals[1])).toBeLessThan(1e-4);
    expect(totals[2]).toBeCloseTo(closedForm, 1);
  });

  it('finds no total correlation in a factorised aggregate posterior and a clear one in a correlated posterior', () => {
    // 36 images whose posteriors sit on a 6 × 6 grid: q(z) is the product of its marginals
    const grid = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5];
    const m = grid.length ** 2;
    const eps = normals(m * 2, 9);
    const logVar = Array.from({ length: m }, () => [-3, -3]);
    const epsRows = Array.from({ length: m }, (_, i) => [eps[2 * i], eps[2 * i + 1]]);
    const factorised = grid.flatMap((a) => grid.map((b) => [a, b]));
    // the same 36 positions along the diagonal: z₁ = z₂, strongly dependent
    const correlated = factorised.map((_, i) => [(i - 17.5) / 7, (i - 17.5) / 7]);
    const tcFactorised = mean(column(decompose({ mu: factorised, logVar, eps: epsRows }, m), 1));
    const tcCorrelated = mean(column(decompose({ mu: correlated, logVar, eps: epsRows }, m), 1));
    expect(Math.abs(tcFactorised)).toBeLessThan(0.02);
    expect(tcCorrelated).toBeGreaterThan(1);
    // and the mutual information of well-separated posteriors approaches log N
    expect(mean(column(decompose({ mu: factorised, logVar, eps: epsRows }, m), 0))).toBeGreaterThan(0.8 * Math.log(m));
  });

  it('splits a batch larger than a group into groups and estimates each against its own group', () => {
    const m = DECOMPOSITION_GROUP + 40;
    const c = randomCase(m, 3, 21);
    const got = decompose(c, 60_000);
    const groups = Math.ceil(m / DECOMPOSITION_GROUP);
    const size = Math.ceil(m / groups);
    const want: number[][] = [];
    for (let start = 0; start < m; start += size) {
      const slice = (rows: number[][]) => rows.slice(start, start + size);
      want.push(...bruteForce({ mu: slice(c.mu), logVar: slice(c.logVar), eps: slice(c.eps) }, 60_000));
    }
    for (let k = 0; k < 3; k++) expectAllClose(column(got, k), column(want, k), 3e-3, 1e-4);
  });

  it('decomposes only the first r samples (against every posterior of the batch) when asked', () => {
    const c = randomCase(12, 3, 44);
    const want = bruteForce(c, 5000).slice(0, 4);
    const got = tf.tidy(() => {
      const mu = tf.tensor2d(c.mu);
      const logVar = tf.tensor2d(c.logVar);
      const eps = tf.tensor2d(c.eps);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
      const parts = klDecomposition({ mu, logVar }, z, eps, 5000, 4);
      return tf.stack([parts.mutualInformation, parts.totalCorrelation, parts.dimensionWiseKl], 1);
    });
    expect(got.shape).toEqual([4, 3]);
    expectAllClose(got, want.flat(), 2e-3, 1e-4);
    got.dispose();
  });

  it('is differentiable in μ and log σ² and leaves no tensors behind', () => {
    const c = randomCase(8, 3, 33);
    const mu = tf.variable(tf.tensor2d(c.mu));
    const logVar = tf.variable(tf.tensor2d(c.logVar));
    const eps = tf.tensor2d(c.eps);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) {
      const { grads, value } = tf.variableGrads(() => {
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
        const parts: KlDecomposition = klDecomposition({ mu, logVar }, z, eps, 1000);
        return tf.mean(parts.totalCorrelation) as tf.Scalar;
      }, [mu, logVar]);
      for (const g of Object.values(grads)) expect(values(g).every(Number.isFinite)).toBe(true);
      expect(values(grads[mu.name]).some((g) => g !== 0)).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([mu, logVar, eps]);
  });
});
