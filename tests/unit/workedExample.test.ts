/**
 * The worked example as the worker computes it (worker/analysis/explanation.ts over
 * core/explain/workedExample.ts), checked against the model itself: z = μ + σ ε for the values
 * it reports, its reconstruction term and KL equal the family's own losses for that image and
 * that ε, and its gradients equal tf.grads of the family's loss at that z; the chain rule with
 * ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ε rebuilds them from ∂L_rec/∂z. No tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianLatentOf } from '../../src/core/models/family';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { givenNoise } from '../../src/core/training/noise';
import { drawEpsilon, explain } from '../../src/worker/analysis/explanation';
import { createLiveModel, type LiveModel } from '../../src/worker/liveModel';
import type { WorkerEventOf } from '../../src/worker/protocol';
import { prototypePatterns } from './helpers/data';
import { mlpVae } from './helpers/model';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

const SIDE = 8;
const PIXELS = SIDE * SIDE;
const LATENT = 4;
const config = { ...mlpVae({ inputDim: PIXELS, hiddenDim: 16, latentDim: LATENT, likelihood: 'bernoulli', seed: 3 }), imageShape: { width: SIDE, height: SIDE, channels: 1 } };

let live: LiveModel;
const data = prototypePatterns(64, 1, 4, 0.05, SIDE);
const image = () => data.images.slice(0, PIXELS);

beforeAll(async () => {
  await useCpuBackend();
  live = createLiveModel(config, { beta: 2, learningRate: 0.01, batchSize: 16 }, { labels: Uint8Array.from(data.labels), holdOutClass: null });
  // a few steps so the encoder's σ is not 1 everywhere
  for (let i = 0; i < 20; i++) live.trainer.trainStep(tf.tensor2d(data.images.slice((i % 4) * 16 * PIXELS, ((i % 4) + 1) * 16 * PIXELS), [16, PIXELS]));
});
afterAll(() => live.trainer.dispose());

async function example(seed: number): Promise<WorkerEventOf<'explained'>> {
  return explain(live, { type: 'explain', requestId: 1, image: image(), label: null, seed }, PIXELS);
}

describe('the worked example', () => {
  it('shows z = μ + σ ε with σ = exp(½ log σ²) and the ε of its seed', async () => {
    const { example: e } = await example(7);
    expect(e.beta).toBe(2);
    expectAllClose(e.epsilon, drawEpsilon(7, LATENT), 0);
    expectAllClose(e.sigma, Array.from(e.logVar, (lv) => Math.exp(0.5 * lv)), 1e-6, 1e-6);
    expectAllClose(e.z, Array.from(e.mu, (m, j) => m + e.sigma[j] * e.epsilon[j]), 1e-6, 1e-6);
  });

  it('reports the reconstruction term and the KL of the family’s own loss for that image and ε', async () => {
    const { example: e } = await example(11);
    const model = live.trainer.model;
    const losses = tf.tidy(() => {
      const l = model.losses({ x: tf.tensor2d(image(), [1, PIXELS]), labels: null }, givenNoise(tf.tensor2d(e.epsilon, [1, LATENT])), betaObjective(1), model.phases[0].group, { perExample: true });
      return { rec: values(l.means.reconstruction)[0], kl: values(l.means.kl)[0], klPerDim: values(l.klPerDim as tf.Tensor) };
    });
    expect(e.reconstruction).toBeCloseTo(losses.rec, 4);
    expect(e.kl).toBeCloseTo(losses.kl, 5);
    expectAllClose(e.klPerDim, losses.klPerDim, 1e-6);
    // the closed form written out on the page, from the values it shows
    const closedForm = Array.from(e.mu, (m, j) => 0.5 * (m * m + Math.exp(e.logVar[j]) - e.logVar[j] - 1));
    expectAllClose(e.klPerDim, closedForm, 1e-5);
    expect(e.loss).toBeCloseTo(e.reconstruction + 2 * e.kl, 4);
  });

  it('shows the gradients tf.grads gives of the family’s loss at that z, and the chain rule rebuilds them', async () => {
    const { example: e } = await example(13);
    const model = live.trainer.model;
    // the family's own objective (β = 2) as a function of μ and log σ², through its decoder, with ε fixed
    const [gMu, gLogVar] = tf.tidy(() => {
      const x = tf.tensor2d(image(), [1, PIXELS]);
      const eps = tf.tensor2d(e.epsilon, [1, LATENT]);
      const lossAt = (m: tf.Tensor, lv: tf.Tensor) => {
        const z = tf.add(m, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps)) as tf.Tensor2D;
        const rec = tf.neg(tf.sum(gaussianLatentOf(model, 'the test').logLikelihood(x, z, null)));
        const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(m), tf.exp(lv)), tf.add(lv, 1))), 0.5);
        return tf.add(rec, tf.mul(kl, 2)) as tf.Scalar;
      };
      return tf.grads(lossAt)([tf.tensor2d(e.mu, [1, LATENT]), tf.tensor2d(e.logVar, [1, LATENT])]).map(values);
    });
    expectAllClose(e.gradMu, gMu, 1e-5, 1e-4);
    expectAllClose(e.gradLogVar, gLogVar, 1e-5, 1e-4);
    // ∂L/∂μ = ∂L_rec/∂z · 1 + β μ;  ∂L/∂log σ² = ∂L_rec/∂z · ½ σ ε + β · ½ (σ² − 1)
    expectAllClose(e.gradMu, Array.from(e.gradZ, (g, j) => g + 2 * e.mu[j]), 1e-5, 1e-4);
    expectAllClose(e.gradLogVar, Array.from(e.gradZ, (g, j) => g * 0.5 * e.sigma[j] * e.epsilon[j] + 2 * 0.5 * (e.sigma[j] ** 2 - 1)), 1e-5, 1e-4);
  });

  it('draws another ε with another seed: z changes, μ does not', async () => {
    const a = (await example(1)).example;
    const b = (await example(2)).example;
    expectAllClose(a.mu, b.mu, 0);
    expect(Array.from(a.z)).not.toEqual(Array.from(b.z));
  });

  it('leaves no tensor behind', async () => {
    await example(3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await example(20 + i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an image of the wrong size with a clear message', async () => {
    await expect(explain(live, { type: 'explain', requestId: 1, image: new Float32Array(10), label: null, seed: 1 }, PIXELS)).rejects.toThrow(/expected 64 pixel values/);
  });
});
