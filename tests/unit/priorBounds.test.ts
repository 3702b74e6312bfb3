/**
 * The importance-weighted bound (the "Use the model" log-likelihood tool) on the models this
 * branch adds: a learned prior must enter it as log p(z) under that prior, and a conditional
 * model's bound is one on log p(x|y) with the class given. k = 1 checked against a hand
 * computation from the prior's own components (the mixture's log-sum-exp written out here), the
 * bound on average at least the ELBO and not falling with k, and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyId } from '../../src/core/models/catalog';
import type { ModelConfig } from '../../src/core/models/config';
import { gaussianLatentOf } from '../../src/core/models/family';
import { importanceWeightedBounds } from '../../src/core/objective/bounds';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { givenNoise } from '../../src/core/training/noise';
import { Trainer } from '../../src/core/training/trainer';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const LOG_2PI = Math.log(2 * Math.PI);
const SIDE = 8;
const DIM = SIDE * SIDE;
const LATENT = 3;
const CLASSES = 4;
const DATA = prototypePatterns(64, 21, CLASSES);
const LABELS = Uint8Array.from(DATA.labels);

function config(family: FamilyId, options: Record<string, string | number>): ModelConfig {
  return {
    family,
    network: 'mlp',
    imageShape: { width: SIDE, height: SIDE, channels: 1 },
    classCount: CLASSES,
    hiddenDim: 24,
    latentDim: LATENT,
    likelihood: 'bernoulli',
    seed: 7,
    options,
  };
}

let live: Trainer | null = null;
afterEach(() => {
  live?.dispose();
  live = null;
});

/** A model trained for a few steps, so a learned prior's components have moved off their start. */
function trained(c: ModelConfig, steps = 80): Trainer {
  live = new Trainer(c, { beta: 1, learningRate: 0.01, batchSize: 16 }, new TestRng(c.seed));
  for (let s = 0; s < steps; s++) {
    const start = (s * 16) % DATA.count;
    const x = tf.tensor2d(DATA.images.subarray(start * DIM, (start + 16) * DIM), [16, DIM]);
    const labels = c.family === 'vae' ? null : tf.tensor1d(LABELS.subarray(start, start + 16), 'int32');
    live.trainStep({ x, labels });
    tf.dispose([x, labels ?? []]);
  }
  return live;
}

/** log Σ_k w_k N(z; μ_k, diag σ_k²), by hand from the components' plain numbers. */
function mixtureLogDensity(z: number[], weights: Float32Array, means: Float32Array, logVars: Float32Array): number {
  const terms = Array.from(weights, (w, k) => {
    let log = Math.log(w);
    for (let j = 0; j < z.length; j++) {
      const m = means[k * z.length + j];
      const lv = logVars[k * z.length + j];
      log += -0.5 * (LOG_2PI + lv + (z[j] - m) ** 2 / Math.exp(lv));
    }
    return log;
  });
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}

describe.each([
  { prior: 'mog', components: 3 },
  { prior: 'vamp', components: 2 },
])('the importance-weighted bound under a learned prior ($prior, K = $components)', ({ prior, components }) => {
  it('k = 1 is log p(x|z) + log p(z) − log q(z|x) with log p(z) the learned mixture’s, computed by hand', async () => {
    const trainer = trained(config('vae', { prior, components }));
    const parts = await trainer.priorComponents();
    if (!parts) throw new Error('a learned prior has components');
    expect(parts.count).toBe(components);
    const n = 5;
    const images = DATA.images.subarray(0, n * DIM);
    const epsilon = tf.randomNormal([n, LATENT], 0, 1, 'float32', 3) as tf.Tensor2D;
    const { perImage } = await importanceWeightedBounds(gaussianLatentOf(trainer.model, 'the bound'), images, n, DIM, { ks: [1], samples: 1, noise: givenNoise(epsilon) });
    const x = tf.tensor2d(images, [n, DIM]);
    const losses = trainer.losses(x, givenNoise(epsilon), betaObjective(1), { perExample: true });
    const reconstruction = losses.perExample?.reconstruction.dataSync() as Float32Array;
    const { mu, logVar } = await trainer.encode(images, n);
    const eps = epsilon.dataSync();
    tf.dispose([x, epsilon, losses.negativeElbo, losses.objective, ...Object.values(losses.means), ...Object.values(losses.perExample ?? {}), losses.klPerDim ?? []]);
    for (let i = 0; i < n; i++) {
      const z: number[] = [];
      let logQ = 0;
      for (let j = 0; j < LATENT; j++) {
        const k = i * LATENT + j;
        z.push(mu[k] + Math.exp(0.5 * logVar[k]) * eps[k]);
        logQ += -0.5 * (LOG_2PI + logVar[k] + eps[k] * eps[k]);
      }
      const logPz = mixtureLogDensity(z, parts.weights, parts.means, parts.logVars);
      // N(0, I) would give another number: the bound really reads the learned prior
      const standard = z.reduce((s, v) => s - 0.5 * (LOG_2PI + v * v), 0);
      expect(Math.abs(logPz - standard)).toBeGreaterThan(1e-3);
      expect(perImage[i]).toBeCloseTo(-reconstruction[i] + logPz - logQ, 3);
    }
  });

  it('is on average at least the ELBO (the one-sample KL estimate’s), does not fall with k, and leaves no tensor behind', async () => {
    const trainer = trained(config('vae', { prior, components }));
    const n = 6;
    const images = DATA.images.subarray(0, n * DIM);
    const before = tf.memory().numTensors;
    const { bounds } = await trainer.importanceWeightedBounds(images, n, { ks: [1, 10, 200], samples: 400, seed: 5, rowsPerChunk: 400 });
    expect(tf.memory().numTensors).toBe(before);
    expect(bounds.every(Number.isFinite)).toBe(true);
    expect(bounds[1]).toBeGreaterThanOrEqual(bounds[0]);
    expect(bounds[2]).toBeGreaterThanOrEqual(bounds[1]);
    // the ELBO averaged over many ε: L_1 estimates it (within Monte Carlo error), L_200 lies above it
    let negativeElbo = 0;
    for (let seed = 0; seed < 40; seed++) negativeElbo += (await trainer.evaluate(images, n, 1000, 500 + seed)).negativeElbo / 40;
    expect(Math.abs(bounds[0] + negativeElbo)).toBeLessThan(0.5);
    expect(bounds[2]).toBeGreaterThan(-negativeElbo);
  });
});

describe('the importance-weighted bound of the conditional VAE', () => {
  it('takes the class (a bound on log p(x|y)), is at least the ELBO on average, and another class gives another bound', async () => {
    const trainer = trained(config('cvae', {}));
    const n = 6;
    const images = DATA.images.subarray(0, n * DIM);
    const labels = LABELS.subarray(0, n);
    const { bounds } = await trainer.importanceWeightedBounds(images, n, { ks: [1, 100], samples: 200, seed: 5 }, labels);
    expect(bounds.every(Number.isFinite)).toBe(true);
    expect(bounds[1]).toBeGreaterThanOrEqual(bounds[0]);
    let negativeElbo = 0;
    for (let seed = 0; seed < 20; seed++) negativeElbo += (await trainer.evaluate(images, n, 1000, 900 + seed, undefined, labels)).negativeElbo / 20;
    expect(bounds[1]).toBeGreaterThan(-negativeElbo);
    // the wrong classes explain the images worse
    const wrong = labels.map((y) => (y + 1) % CLASSES);
    const other = await trainer.importanceWeightedBounds(images, n, { ks: [1, 100], samples: 200, seed: 5 }, wrong);
    expect(other.bounds[1]).toBeLessThan(bounds[1]);
    await expect(trainer.importanceWeightedBounds(images, n, { ks: [1], samples: 1 })).rejects.toThrow(/class/);
  });
});
