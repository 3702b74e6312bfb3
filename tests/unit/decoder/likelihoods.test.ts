/**
 * The new pixel likelihoods and InfoVAE's MMD: the discretised logistic's 256 bins sum to 1 with
 * the edge bins taking the tails; dynamic binarisation has the intensity as its mean and is
 * drawn afresh at every use; the learned σ's NLL is smallest at the maximum-likelihood σ; the MMD
 * is 0 for identical samples, grows with a shift and matches a hand computation.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianVae } from '../../../src/core/models/gaussianVae';
import type { ModelConfig } from '../../../src/core/models/config';
import { betaObjective } from '../../../src/core/objective/gaussianObjective';
import { discretisedLogisticNll, learnedGaussianNllFromLogits, LOGISTIC_BINS } from '../../../src/core/objective/likelihoods';
import { maximumMeanDiscrepancy } from '../../../src/core/objective/mmd';
import { binarise, uniformFromNormal } from '../../../src/core/objective/pixelNoise';
import { fixedNoise, streamNoise } from '../../../src/core/training/noise';
import { TestRng } from '../helpers/rng';
import { useCpuBackend, values } from '../helpers/tf';

beforeAll(useCpuBackend);

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

describe('discretised logistic', () => {
  it.each([
    [0, Math.log(0.05)],
    [2.5, Math.log(0.3)],
    [-4, Math.log(0.002)],
    [0.3, Math.log(1e-4)],
  ])('gives probabilities over the 256 bins that sum to 1 (logit %f, log s %f)', (logit, logScale) => {
    const bins = tf.tensor2d(Float32Array.from({ length: LOGISTIC_BINS }, (_, b) => b / 255), [1, LOGISTIC_BINS]);
    const nll = tf.tidy(() => discretisedLogisticNll(tf.fill([1, LOGISTIC_BINS], logit), bins, tf.scalar(logScale)));
    const p = values(nll).map((v) => Math.exp(-v));
    expect(p.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    tf.dispose([bins, nll]);
  });

  it('lets the edge bins take the tails, and a middle bin its mass between its edges', () => {
    const mu = -0.999; // the logistic's mean in [−1, 1]: 2·sigmoid(l) − 1
    const logit = Math.log((mu + 1) / 2 / (1 - (mu + 1) / 2));
    const s = 0.01;
    const x = tf.tensor2d([0, 1, 100 / 255], [1, 3]);
    const p = tf.tidy(() => values(discretisedLogisticNll(tf.fill([1, 3], logit), x, tf.scalar(Math.log(s)))).map((v) => Math.exp(-v)));
    // bin 0: everything below −1 + 1/255; bin 255: everything above 1 − 1/255
    expect(p[0]).toBeCloseTo(logistic((-1 + 1 / 255 - mu) / s), 5);
    expect(p[1]).toBeCloseTo(1 - logistic((1 - 1 / 255 - mu) / s), 6);
    const c = (2 * 100) / 255 - 1;
    expect(p[2]).toBeCloseTo(logistic((c + 1 / 255 - mu) / s) - logistic((c - 1 / 255 - mu) / s), 6);
    // most of a mean near −1 lands in the first bin, far more than its width's share
    expect(p[0]).toBeGreaterThan(0.5);
    x.dispose();
  });
});

describe('dynamic binarisation', () => {
  it('has the intensity as the mean of many binarisations, and only 0s and 1s', () => {
    const intensities = [0, 0.1, 0.25, 0.5, 0.77, 0.9, 1];
    const draws = 4000;
    const x = tf.tile(tf.tensor2d(intensities, [1, intensities.length]), [draws, 1]) as tf.Tensor2D;
    const noise = fixedNoise(5);
    const b = tf.tidy(() => binarise(x, uniformFromNormal(noise([draws, intensities.length]))));
    const v = values(b);
    expect(v.every((p) => p === 0 || p === 1)).toBe(true);
    const means = values(tf.tidy(() => tf.mean(b, 0)));
    intensities.forEach((p, i) => expect(Math.abs(means[i] - p), `intensity ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws) + 1e-9));
    tf.dispose([x, b]);
  });

  it('draws a fresh binarisation every time an image is used (each epoch), and the same one for a fixed seed', () => {
    const config: ModelConfig = { family: 'vae', network: 'mlp', imageShape: { width: 4, height: 4, channels: 1 }, classCount: 1, hiddenDim: 8, latentDim: 2, likelihood: 'binarised', seed: 1, options: {} };
    const model = new GaussianVae(config, new TestRng(1));
    const x = tf.fill([6, 16], 0.5) as tf.Tensor2D;
    const training = streamNoise(new TestRng(3));
    const reconstruction = (noise = training) => tf.tidy(() => values(model.losses({ x, labels: null }, noise, betaObjective(1), 'model').means.reconstruction)[0]);
    const first = reconstruction();
    const second = reconstruction();
    expect(second).not.toBe(first);
    expect(reconstruction(fixedNoise(9))).toBe(reconstruction(fixedNoise(9)));
    x.dispose();
    model.dispose();
  });
});

describe('Gaussian with a learned σ', () => {
  it('has its NLL on a fixed batch lowest at the maximum-likelihood σ* = RMS(x − μ)', () => {
    const n = 16;
    const d = 10;
    const logits = tf.randomNormal([n, d], 0, 1, 'float32', 1);
    const x = tf.randomUniform([n, d], 0, 1, 'float32', 2);
    const mse = values(tf.tidy(() => tf.mean(tf.squaredDifference(x, tf.sigmoid(logits)))))[0];
    const sigmaStar = Math.sqrt(mse);
    const nllAt = (sigma: number) => values(tf.tidy(() => tf.sum(learnedGaussianNllFromLogits(logits, x, tf.scalar(Math.log(sigma))))))[0];
    const best = nllAt(sigmaStar);
    // the closed form at σ*: N·D·(½ + log σ* + ½ log 2π)
    expect(best).toBeCloseTo(n * d * (0.5 + Math.log(sigmaStar) + 0.5 * Math.log(2 * Math.PI)), 2);
    for (const factor of [0.5, 0.9, 0.99, 1.01, 1.1, 2]) expect(nllAt(sigmaStar * factor), `σ = ${factor}·σ*`).toBeGreaterThan(best);
    tf.dispose([logits, x]);
  });
});

describe('MMD (InfoVAE)', () => {
  it('is zero for identical samples and grows with a shift', () => {
    const a = tf.randomNormal([64, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
    expect(values(tf.tidy(() => maximumMeanDiscrepancy(a, a)))[0]).toBeCloseTo(0, 6);
    const mmds = [0.25, 0.5, 1, 2].map((shift) => values(tf.tidy(() => maximumMeanDiscrepancy(a, tf.add(a, shift) as tf.Tensor2D)))[0]);
    expect(mmds[0]).toBeGreaterThan(0);
    for (let i = 1; i < mmds.length; i++) expect(mmds[i]).toBeGreaterThan(mmds[i - 1]);
    a.dispose();
  });

  it('matches a hand computation', () => {
    // a = {0, 1}, b = {2} in one dimension, k(u, v) = exp(−(u − v)²)
    const k = (u: number, v: number) => Math.exp(-((u - v) ** 2));
    const aa = (k(0, 0) + k(0, 1) + k(1, 0) + k(1, 1)) / 4;
    const bb = 1;
    const ab = (k(0, 2) + k(1, 2)) / 2;
    const a = tf.tensor2d([[0], [1]]);
    const b = tf.tensor2d([[2]]);
    expect(values(tf.tidy(() => maximumMeanDiscrepancy(a, b)))[0]).toBeCloseTo(aa + bb - 2 * ab, 6);
    // two dimensions: the bandwidth is d, k = exp(−‖u − v‖² / 2)
    const c = tf.tensor2d([[0, 0]]);
    const e = tf.tensor2d([[1, 1]]);
    expect(values(tf.tidy(() => maximumMeanDiscrepancy(c, e)))[0]).toBeCloseTo(2 - 2 * Math.exp(-1), 6);
    tf.dispose([a, b, c, e]);
  });
});
