import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { combineTerms } from '../../src/core/objective/gaussianObjective';
import { klPerExampleAndDim } from '../../src/core/objective/kl';
import { bernoulliNllFromLogits, GAUSSIAN_SIGMA, gaussianNllFromLogits, meanFromLogits, reconstructionNllPerExample } from '../../src/core/objective/likelihoods';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const sigmoid = (l: number): number => 1 / (1 + Math.exp(-l));
/** The textbook Bernoulli NLL, in float64 (finite only for moderate logits). */
const naiveBernoulliNll = (l: number, x: number): number => -(x * Math.log(sigmoid(l)) + (1 - x) * Math.log(1 - sigmoid(l)));
const gaussianNll = (l: number, x: number, sigma: number): number =>
  (x - sigmoid(l)) ** 2 / (2 * sigma * sigma) + 0.5 * Math.log(2 * Math.PI * sigma * sigma);
const klClosedForm = (mu: number, logVar: number): number => 0.5 * (mu * mu + Math.exp(logVar) - 1 - logVar);

function kl(mu: number[][], logVar: number[][]): number[] {
  return tf.tidy(() => values(klPerExampleAndDim({ mu: tf.tensor2d(mu), logVar: tf.tensor2d(logVar) })));
}

describe('klPerExampleAndDim', () => {
  it('is zero for the prior itself (μ = 0, log σ² = 0)', () => {
    expectAllClose(kl([[0, 0, 0]], [[0, 0, 0]]), [0, 0, 0], 1e-7);
  });

  it('is positive away from the prior and keeps the [n, d] layout', () => {
    const out = tf.tidy(() => {
      const t = klPerExampleAndDim({ mu: tf.tensor2d([[1, 0], [0, 0]]), logVar: tf.tensor2d([[0, 0], [0, -2]]) });
      expect(t.shape).toEqual([2, 2]);
      return values(t);
    });
    expectAllClose(out, [0.5, 0, 0, 0.5 * (Math.exp(-2) + 1)], 1e-6);
  });

  it('equals a Monte-Carlo estimate of E_q[log q(z) − log p(z)]', () => {
    const pairs: [number, number][] = [
      [0, 0],
      [1.5, -1],
      [-0.7, 0.8],
      [0.3, -3],
      [2, 1.2],
    ];
    const analytic = kl([pairs.map((p) => p[0])], [pairs.map((p) => p[1])]);
    const rng = new TestRng(42);
    const samples = 200_000;
    pairs.forEach(([mu, logVar], i) => {
      const sigma = Math.exp(0.5 * logVar);
      let sum = 0;
      let sumSq = 0;
      for (let s = 0; s < samples; s++) {
        const eps = rng.normal();
        const z = mu + sigma * eps;
        // log N(z; μ, σ²) − log N(z; 0, 1); the ½ log 2π terms cancel.
        const logRatio = -0.5 * logVar - 0.5 * eps * eps + 0.5 * z * z;
        sum += logRatio;
        sumSq += logRatio * logRatio;
      }
      const mean = sum / samples;
      const stdError = Math.sqrt((sumSq / samples - mean * mean) / samples);
      // Sanity: the closed form written out here agrees with the module, and the MC estimate
      // agrees with both within 5 standard errors (plus float32 slack).
      expect(analytic[i]).toBeCloseTo(klClosedForm(mu, logVar), 5);
      expect(Math.abs(analytic[i] - mean)).toBeLessThan(5 * stdError + 1e-4);
    });
  });
});

describe('bernoulliNllFromLogits', () => {
  it('is finite and correct at logits ±100', () => {
    const out = tf.tidy(() => values(bernoulliNllFromLogits(tf.tensor1d([-100, 100, -100, 100, 100]), tf.tensor1d([1, 1, 0, 0, 0.25]))));
    for (const v of out) expect(Number.isFinite(v)).toBe(true);
    expect(out[0]).toBeCloseTo(100, 4); // confident 0, observed 1
    expect(out[1]).toBeCloseTo(0, 6); // confident 1, observed 1
    expect(out[2]).toBeCloseTo(0, 6); // confident 0, observed 0
    expect(out[3]).toBeCloseTo(100, 4); // confident 1, observed 0
    expect(out[4]).toBeCloseTo(75, 4); // (1 − x)·100 for a soft target
  });

  it('equals the naive formula where that is finite', () => {
    const rng = new TestRng(7);
    const logits = Array.from(rng.uniforms(200, -12, 12));
    const xs = Array.from(rng.uniforms(200)).map((u, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : u));
    const out = tf.tidy(() => values(bernoulliNllFromLogits(tf.tensor1d(logits), tf.tensor1d(xs))));
    const expected = logits.map((l, i) => naiveBernoulliNll(l, xs[i]));
    expect(expected.every(Number.isFinite)).toBe(true);
    expectAllClose(out, expected, 1e-5, 1e-5);
  });

  it('is log 2 per pixel at logit 0 whatever x is', () => {
    const out = tf.tidy(() => values(bernoulliNllFromLogits(tf.zeros([3]), tf.tensor1d([0, 0.5, 1]))));
    expectAllClose(out, [Math.LN2, Math.LN2, Math.LN2], 1e-6);
  });
});

describe('gaussianNllFromLogits', () => {
  it('equals −log N(x; sigmoid(l), σ²) with the default σ', () => {
    const rng = new TestRng(11);
    const logits = Array.from(rng.uniforms(50, -6, 6));
    const xs = Array.from(rng.uniforms(50));
    const out = tf.tidy(() => values(gaussianNllFromLogits(tf.tensor1d(logits), tf.tensor1d(xs))));
    expectAllClose(out, logits.map((l, i) => gaussianNll(l, xs[i], GAUSSIAN_SIGMA)), 1e-4, 1e-5);
  });

  it('honours an explicit σ', () => {
    const out = tf.tidy(() => values(gaussianNllFromLogits(tf.tensor1d([0, 2, -1]), tf.tensor1d([1, 0.2, 0.5]), 0.5)));
    expectAllClose(out, [gaussianNll(0, 1, 0.5), gaussianNll(2, 0.2, 0.5), gaussianNll(-1, 0.5, 0.5)], 1e-6);
  });

  it('meanFromLogits is the sigmoid', () => {
    const out = tf.tidy(() => values(meanFromLogits(tf.tensor2d([[-2, 0, 3]]))));
    expectAllClose(out, [sigmoid(-2), 0.5, sigmoid(3)], 1e-6);
  });
});

describe('reconstruction and combineTerms', () => {
  // 2 examples, 3 pixels, 2 latent dimensions, all written out by hand.
  const logits = [
    [2, -1, 0],
    [-3, 0.5, 1],
  ];
  const xs = [
    [1, 0, 1],
    [0, 1, 0.5],
  ];
  const mu = [
    [0.5, -1],
    [0, 2],
  ];
  const logVar = [
    [0, -1],
    [1, 0.5],
  ];

  it('sums the pixels of each example for both likelihoods', () => {
    const bern = tf.tidy(() => {
      const t = reconstructionNllPerExample('bernoulli', tf.tensor2d(logits), tf.tensor2d(xs));
      expect(t.shape).toEqual([2]);
      return values(t);
    });
    const gauss = tf.tidy(() => values(reconstructionNllPerExample('gaussian', tf.tensor2d(logits), tf.tensor2d(xs))));
    const rowSum = (f: (l: number, x: number) => number) => logits.map((row, n) => row.reduce((s, l, i) => s + f(l, xs[n][i]), 0));
    expectAllClose(bern, rowSum(naiveBernoulliNll), 1e-5);
    expectAllClose(gauss, rowSum((l, x) => gaussianNll(l, x, GAUSSIAN_SIGMA)), 1e-4);
  });

  it('sums per example and averages over the batch; objective = recon + β·KL; −ELBO ignores β', () => {
    const beta = 3;
    const recon = rowSumsBernoulli();
    const klRows = mu.map((row, n) => row.map((m, d) => klClosedForm(m, logVar[n][d])));
    const klPerDim = [0, 1].map((d) => (klRows[0][d] + klRows[1][d]) / 2);
    const klMean = klPerDim[0] + klPerDim[1];
    const reconMean = (recon[0] + recon[1]) / 2;

    const read = (b: number) =>
      tf.tidy(() => {
        const r = reconstructionNllPerExample('bernoulli', tf.tensor2d(logits), tf.tensor2d(xs));
        const k = klPerExampleAndDim({ mu: tf.tensor2d(mu), logVar: tf.tensor2d(logVar) });
        const t = combineTerms(r, k, b);
        expect(t.reconstruction.shape).toEqual([]);
        expect(t.kl.shape).toEqual([]);
        expect(t.klPerDim!.shape).toEqual([2]);
        return {
          reconstruction: values(t.reconstruction)[0],
          kl: values(t.kl)[0],
          klPerDim: values(t.klPerDim!),
          negativeElbo: values(t.negativeElbo)[0],
          objective: values(t.objective)[0],
        };
      });

    const withBeta = read(beta);
    expect(withBeta.reconstruction).toBeCloseTo(reconMean, 5);
    expectAllClose(withBeta.klPerDim, klPerDim, 1e-5);
    expect(withBeta.kl).toBeCloseTo(klMean, 5);
    expect(withBeta.negativeElbo).toBeCloseTo(reconMean + klMean, 4);
    expect(withBeta.objective).toBeCloseTo(reconMean + beta * klMean, 4);

    const betaOne = read(1);
    expect(betaOne.negativeElbo).toBeCloseTo(withBeta.negativeElbo, 5);
    expect(betaOne.objective).toBeCloseTo(reconMean + klMean, 4);
    // β = 0 leaves only the reconstruction in the objective.
    expect(read(0).objective).toBeCloseTo(reconMean, 5);

    function rowSumsBernoulli(): number[] {
      return logits.map((row, n) => row.reduce((s, l, i) => s + naiveBernoulliNll(l, xs[n][i]), 0));
    }
  });

  it('leaves no tensors behind but the ones it returns', () => {
    const r = tf.tensor1d([1, 2]);
    const k = tf.tensor2d([[0.1, 0.2], [0.3, 0.4]]);
    const before = tf.memory().numTensors;
    const t = combineTerms(r, k, 2);
    expect(tf.memory().numTensors).toBe(before + 5);
    for (const v of Object.values(t) as tf.Tensor[]) v.dispose();
    expect(tf.memory().numTensors).toBe(before);
    r.dispose();
    k.dispose();
  });
});
