/**
 * The β-VAE objective family: free bits, the three objective kinds (VAE, deterministic
 * autoencoder, KL only), and the schedules as the trainer applies them (klWeight and capacity in
 * the metrics, live updates, capacity annealing tracking its target). Training tests use a small
 * 64-32-4 model on 8×8 binary patterns so they stay fast on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { combineTerms, type ObjectiveSpec } from '../../src/core/objective/gaussianObjective';
import { klPenalty, klPerExampleAndDim } from '../../src/core/objective/kl';
import { capacityAt, klWeightAt, type KlSchedule } from '../../src/core/objective/schedules';
import { Trainer, type TrainingMetrics } from '../../src/core/training/trainer';
import type { TrainingConfig } from '../../src/core/training/config';
import { givenNoise } from '../../src/core/training/noise';
import { mlpVae, variablesUnder } from './helpers/model';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const MODEL = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 4, likelihood: 'bernoulli', seed: 11 });
const TRAINING: TrainingConfig = { beta: 1, learningRate: 0.01, batchSize: 16 };
const DATA = prototypePatterns(64, 2024);

/** ½(μ² + σ² − 1 − log σ²), the closed-form KL of one dimension. */
const klClosedForm = (mu: number, logVar: number) => 0.5 * (mu * mu + Math.exp(logVar) - 1 - logVar);
const spec = (s: Partial<ObjectiveSpec>): ObjectiveSpec => ({ kind: 'vae', klWeight: 1, capacity: null, freeBits: 0, ...s });

// tfjs variable names are global: one trainer at a time, freed after each test with its batches.
let live: Trainer | null = null;
let xs: tf.Tensor2D[] = [];
function build(training: Partial<TrainingConfig> = {}): Trainer {
  if (live) throw new Error('a trainer is still alive');
  live = new Trainer(MODEL, { ...TRAINING, ...training }, new TestRng(MODEL.seed));
  return live;
}
function batches(): tf.Tensor2D[] {
  const { batchSize } = TRAINING;
  for (let start = 0; start < DATA.count; start += batchSize) {
    xs.push(tf.tensor2d(DATA.images.subarray(start * DATA.dim, (start + batchSize) * DATA.dim), [batchSize, DATA.dim]));
  }
  return xs;
}
afterEach(() => {
  live?.dispose();
  live = null;
  for (const x of xs) x.dispose();
  xs = [];
});
function train(trainer: Trainer, batchList: tf.Tensor2D[], steps: number): void {
  for (let s = 0; s < steps; s++) trainer.trainStep(batchList[trainer.step % batchList.length]);
}
async function metricsOf(trainer: Trainer): Promise<TrainingMetrics> {
  const m = await trainer.readMetrics();
  if (!m) throw new Error('expected metrics');
  return m;
}
/** Loss and gradients w.r.t. every variable of the losses at (x, ε) under the trainer's current objective. */
function lossAndGrads(trainer: Trainer, x: tf.Tensor2D, epsilon: tf.Tensor2D, objective?: ObjectiveSpec): { loss: number; grads: number[][] } {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => trainer.losses(x, givenNoise(epsilon), objective).objective, trainer.variables);
    return { loss: value.dataSync()[0], grads: trainer.variables.map((v) => (grads[v.name] ? values(grads[v.name]) : new Array<number>(v.size).fill(0))) };
  });
}

describe('free bits (Kingma et al. 2016)', () => {
  // 3 examples × 4 latent dimensions: dimensions 0 and 1 have a small KL, 2 and 3 a large one.
  const mu = [
    [0.1, -0.05, 1.5, -2],
    [-0.1, 0.1, 1, 2.5],
    [0.05, 0, -1.2, 1],
  ];
  const logVar = [
    [0.1, -0.2, -1, 0.5],
    [-0.1, 0.1, -2, 0.8],
    [0.05, -0.05, -1.5, 1],
  ];
  const lambda = 0.25;
  const klPerDim = [0, 1, 2, 3].map((d) => mu.reduce((s, row, n) => s + klClosedForm(row[d], logVar[n][d]), 0) / mu.length);
  const recon = [3, 5, 4];
  const reconMean = 4;

  it('the posterior is as intended: two dimensions below λ, two above', () => {
    expect(klPerDim[0]).toBeLessThan(lambda);
    expect(klPerDim[1]).toBeLessThan(lambda);
    expect(klPerDim[2]).toBeGreaterThan(lambda);
    expect(klPerDim[3]).toBeGreaterThan(lambda);
  });

  it('the penalty is Σ_d max(λ, KL_d); the reported KL stays the true KL', () => {
    const expectedPenalty = klPerDim.reduce((s, k) => s + Math.max(lambda, k), 0);
    const trueKl = klPerDim.reduce((s, k) => s + k, 0);
    tf.tidy(() => {
      const k = klPerExampleAndDim({ mu: tf.tensor2d(mu), logVar: tf.tensor2d(logVar) });
      expect(values(klPenalty(tf.mean(k, 0) as tf.Tensor1D, lambda))[0]).toBeCloseTo(expectedPenalty, 5);
      expect(values(klPenalty(tf.mean(k, 0) as tf.Tensor1D, 0))[0]).toBeCloseTo(trueKl, 5);
      const terms = combineTerms(tf.tensor1d(recon), k, spec({ freeBits: lambda, klWeight: 3 }));
      expect(values(terms.objective)[0]).toBeCloseTo(reconMean + 3 * expectedPenalty, 4);
      expect(values(terms.kl)[0]).toBeCloseTo(trueKl, 5);
      expectAllClose(terms.klPerDim!, klPerDim, 1e-5);
      expect(values(terms.negativeElbo)[0]).toBeCloseTo(reconMean + trueKl, 4);
      // kl-only and capacity use the floored penalty too
      expect(values(combineTerms(tf.tensor1d(recon), k, spec({ kind: 'kl-only', freeBits: lambda })).objective)[0]).toBeCloseTo(expectedPenalty, 5);
      const capped = combineTerms(tf.tensor1d(recon), k, spec({ freeBits: lambda, klWeight: 10, capacity: 1 }));
      expect(values(capped.objective)[0]).toBeCloseTo(reconMean + 10 * Math.abs(expectedPenalty - 1), 3);
    });
  });

  it('never lets a dimension’s penalty fall below λ, whatever the posterior', () => {
    const rng = new TestRng(5);
    for (let trial = 0; trial < 20; trial++) {
      const m = rng.normals(8 * 6).map((v) => v * 0.3 * (trial % 4));
      const lv = rng.normals(8 * 6).map((v) => v * 0.3);
      const l = 0.1 * (trial % 5);
      const [penalty, perDim] = tf.tidy(() => {
        const kd = tf.mean(klPerExampleAndDim({ mu: tf.tensor2d(m, [8, 6]), logVar: tf.tensor2d(lv, [8, 6]) }), 0) as tf.Tensor1D;
        return [values(klPenalty(kd, l))[0], values(kd)];
      });
      expect(penalty).toBeCloseTo(perDim.reduce((s, k) => s + Math.max(l, k), 0), 4);
      expect(penalty).toBeGreaterThanOrEqual(6 * l - 1e-5);
    }
  });

  it('gives no gradient to the μ and log σ² of dimensions below λ, and the usual one to the others', () => {
    const grad = (freeBits: number) =>
      tf.tidy(() => {
        const f = (m: tf.Tensor, lv: tf.Tensor) =>
          combineTerms(tf.tensor1d(recon), klPerExampleAndDim({ mu: m as tf.Tensor2D, logVar: lv as tf.Tensor2D }), spec({ freeBits })).objective;
        const [dMu, dLogVar] = tf.grads(f)([tf.tensor2d(mu), tf.tensor2d(logVar)]);
        return { dMu: dMu.arraySync() as number[][], dLogVar: dLogVar.arraySync() as number[][] };
      });
    const floored = grad(lambda);
    const plain = grad(0);
    const n = mu.length;
    for (let i = 0; i < n; i++) {
      for (const d of [0, 1]) {
        expect(Math.abs(floored.dMu[i][d])).toBe(0);
        expect(Math.abs(floored.dLogVar[i][d])).toBe(0);
        expect(plain.dMu[i][d] !== 0 || plain.dLogVar[i][d] !== 0).toBe(true); // λ = 0: the pull to the prior is back
      }
      for (const d of [2, 3]) {
        // ∂/∂μ of the batch-mean KL = μ/n, ∂/∂log σ² = ½(σ² − 1)/n: unchanged by free bits
        expect(floored.dMu[i][d]).toBeCloseTo(mu[i][d] / n, 5);
        expect(floored.dLogVar[i][d]).toBeCloseTo((0.5 * (Math.exp(logVar[i][d]) - 1)) / n, 5);
        expect(floored.dMu[i][d]).not.toBe(0);
        expect(floored.dLogVar[i][d]).not.toBe(0);
      }
    }
  });
});

describe('objective kinds', () => {
  it('autoencoder: z = μ, so loss and gradient do not depend on ε; the objective is the reconstruction only', () => {
    const [x] = batches();
    const trainer = build({ objective: 'autoencoder', beta: 4 });
    const rng = new TestRng(3);
    const eps1 = tf.tensor2d(rng.normals(16 * 4), [16, 4]);
    const eps2 = tf.tensor2d(rng.normals(16 * 4).map((v) => 3 * v), [16, 4]);
    const zero = tf.zeros([16, 4]) as tf.Tensor2D;
    try {
      expect(trainer.objectiveAt()).toEqual({ kind: 'autoencoder', klWeight: 0, capacity: null, freeBits: 0, datasetSize: 0, options: {} });
      const a = lossAndGrads(trainer, x, eps1);
      const b = lossAndGrads(trainer, x, eps2);
      expect(b.loss).toBe(a.loss);
      expect(b.grads).toEqual(a.grads);
      const terms = tf.tidy(() => {
        const t = trainer.losses(x, givenNoise(eps1));
        return { objective: values(t.objective)[0], reconstruction: values(t.means.reconstruction)[0], kl: values(t.means.kl)[0] };
      });
      expect(terms.objective).toBe(terms.reconstruction);
      expect(terms.kl).toBeGreaterThan(0); // the KL of q is still reported
      // No KL contribution: the same as a VAE with β = 0 and ε = 0 (z = μ + σ·0) ...
      const noKl = lossAndGrads(trainer, x, zero, spec({ klWeight: 0 }));
      expect(noKl.loss).toBeCloseTo(a.loss, 4);
      noKl.grads.forEach((g, i) => expectAllClose(a.grads[i], g, 1e-5, 1e-4));
      // ... and unlike a VAE with β = 1 at ε = 0, whose KL gradient reaches the encoder head.
      const withKl = lossAndGrads(trainer, x, zero, spec({ klWeight: 1 }));
      const head = trainer.variables.findIndex((v) => v.name.includes('encoder/head'));
      expect(withKl.grads[head].some((g, j) => Math.abs(g - a.grads[head][j]) > 1e-4)).toBe(true);
    } finally {
      tf.dispose([eps1, eps2, zero]);
    }
  });

  it('autoencoder training: metrics report klWeight 0, no capacity, objective = reconstruction, and the true KL', async () => {
    const batchList = batches();
    const trainer = build({ objective: 'autoencoder', klSchedule: { kind: 'capacity', capacityMax: 5, capacitySteps: 10, gamma: 100 } });
    train(trainer, batchList, 5);
    const m = await metricsOf(trainer);
    expect(m.klWeight).toBe(0);
    expect(m.capacity).toBeNaN();
    expect(m.objective).toBeCloseTo(m.terms.reconstruction, 5);
    expect(m.terms.kl).toBeGreaterThan(0);
    expect(m.negativeElbo).toBeCloseTo(m.terms.reconstruction + m.terms.kl, 4);
  });

  it('kl-only: the objective equals β·KL, and the decoder gets no gradient', () => {
    const [x] = batches();
    const beta = 2.5;
    const trainer = build({ objective: 'kl-only', beta });
    const eps = tf.tensor2d(new TestRng(4).normals(16 * 4), [16, 4]);
    try {
      const t = tf.tidy(() => {
        const terms = trainer.losses(x, givenNoise(eps));
        return { objective: values(terms.objective)[0], kl: values(terms.means.kl)[0], reconstruction: values(terms.means.reconstruction)[0] };
      });
      expect(t.objective).toBeCloseTo(beta * t.kl, 4);
      expect(t.reconstruction).toBeGreaterThan(10); // computed and reported, but not optimised
      const { grads } = lossAndGrads(trainer, x, eps);
      trainer.variables.forEach((v, i) => {
        const norm = grads[i].reduce((s, g) => s + Math.abs(g), 0);
        if (v.name.includes('decoder')) expect(norm, v.name).toBe(0);
      });
      const head = trainer.variables.findIndex((v) => v.name.includes('encoder/head'));
      expect(grads[head].some((g) => g !== 0)).toBe(true);
    } finally {
      eps.dispose();
    }
  });

  it('kl-only training from scratch leaves the decoder exactly as it was', () => {
    const batchList = batches();
    const trainer = build({ objective: 'kl-only' });
    const decoderBefore = variablesUnder(trainer, 'decoder').map((v) => Array.from(v.dataSync()));
    const encoderBefore = variablesUnder(trainer, 'encoder').map((v) => Array.from(v.dataSync()));
    train(trainer, batchList, 10);
    expect(variablesUnder(trainer, 'decoder').map((v) => Array.from(v.dataSync()))).toEqual(decoderBefore);
    expect(variablesUnder(trainer, 'encoder').map((v) => Array.from(v.dataSync()))).not.toEqual(encoderBefore);
  });

  it('kl-only training collapses every posterior onto the prior: the KL goes to 0', async () => {
    const batchList = batches();
    const trainer = build();
    train(trainer, batchList, 150); // a VAE first, so the posteriors carry information
    const trained = await trainer.evaluate(DATA.images, DATA.count);
    trainer.updateTraining({ objective: 'kl-only' });
    train(trainer, batchList, 150);
    const collapsed = await trainer.evaluate(DATA.images, DATA.count);
    expect(trained.terms.kl).toBeGreaterThan(1);
    expect(collapsed.terms.kl).toBeLessThan(0.05);
    expect(collapsed.terms.kl).toBeLessThan(0.02 * trained.terms.kl);
    expect(collapsed.klPerDim.every((k) => k < 0.02)).toBe(true);
    // the decoder is not trained any more, so the reconstruction gets worse
    expect(collapsed.terms.reconstruction).toBeGreaterThan(trained.terms.reconstruction + 5);
  });
});

describe('free bits in training', () => {
  it('at β = 8 a latent dimension collapses; free bits λ = 0.5 keeps every dimension near λ', async () => {
    const batchList = batches();
    const lambda = 0.5;
    const klPerDim: Record<string, number[]> = {};
    for (const freeBits of [0, lambda]) {
      const trainer = build({ beta: 8, freeBits });
      train(trainer, batchList, 150);
      klPerDim[freeBits] = (await trainer.evaluate(DATA.images, DATA.count)).klPerDim;
      trainer.dispose();
      live = null;
    }
    expect(Math.min(...klPerDim[0])).toBeLessThan(0.05); // posterior collapse of at least one dimension
    for (const k of klPerDim[lambda]) {
      expect(k).toBeGreaterThan(0.6 * lambda);
      expect(k).toBeLessThan(1.5 * lambda);
    }
  });
});

describe('schedules in training', () => {
  it('linear warm-up: the reported klWeight rises step by step to β, and the objective uses it', async () => {
    const batchList = batches();
    const beta = 2;
    const schedule: KlSchedule = { kind: 'linear', warmupSteps: 8 };
    const trainer = build({ beta, klSchedule: schedule });
    const weights: number[] = [];
    for (let s = 0; s < 11; s++) {
      train(trainer, batchList, 1);
      const m = await metricsOf(trainer);
      weights.push(m.klWeight);
      expect(m.capacity).toBeNaN();
      expect(m.objective).toBeCloseTo(m.terms.reconstruction + m.klWeight * m.terms.kl, 4);
    }
    expectAllClose(weights, [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2, 2], 1e-12);
    for (let s = 1; s <= 8; s++) expect(weights[s]).toBeGreaterThan(weights[s - 1]);
  });

  it('klWeight and capacity are averaged over the steps read; a cyclical schedule follows its formula', async () => {
    const batchList = batches();
    const schedule: KlSchedule = { kind: 'cyclical', cycles: 2, ramp: 0.5, totalSteps: 12 };
    const trainer = build({ beta: 3, klSchedule: schedule });
    train(trainer, batchList, 4);
    const m = await metricsOf(trainer);
    expect(m.klWeight).toBeCloseTo([0, 1, 2, 3].reduce((s, t) => s + klWeightAt(schedule, 3, t), 0) / 4, 12);
    train(trainer, batchList, 1);
    expect((await metricsOf(trainer)).klWeight).toBe(klWeightAt(schedule, 3, 4));
    train(trainer, batchList, 2); // steps 5, 6: end of the hold, start of cycle 2
    expect((await metricsOf(trainer)).klWeight).toBeCloseTo(1.5, 12);

    const capacity: KlSchedule = { kind: 'capacity', capacityMax: 10, capacitySteps: 20, gamma: 50 };
    trainer.updateTraining({ klSchedule: capacity });
    train(trainer, batchList, 3); // steps 7, 8, 9
    const c = await metricsOf(trainer);
    expect(c.klWeight).toBe(50);
    expect(c.capacity).toBeCloseTo((capacityAt(capacity, 7)! + capacityAt(capacity, 8)! + capacityAt(capacity, 9)!) / 3, 12);
    expect(c.objective).toBeCloseTo(c.terms.reconstruction + 50 * Math.abs(c.terms.kl - c.capacity), 1);
  });

  it('constant schedule: klWeight = β, capacity NaN', async () => {
    const batchList = batches();
    const trainer = build({ beta: 4 });
    train(trainer, batchList, 3);
    const m = await metricsOf(trainer);
    expect(m.klWeight).toBe(4);
    expect(m.capacity).toBeNaN();
  });

  it('capacity annealing keeps the KL near C(t) while C ramps and after (C_max = 6 nats, about twice the KL a free VAE settles at)', async () => {
    const batchList = batches();
    const cMax = 6;
    const trainer = build({ klSchedule: { kind: 'capacity', capacityMax: cMax, capacitySteps: 150, gamma: 20 } });
    train(trainer, batchList, 100);
    const midway = await metricsOf(trainer);
    // mid-ramp the KL tracks the moving target (averaged over steps 0…99: C from 0 to 3.96)
    expect(Math.abs(midway.terms.kl - midway.capacity)).toBeLessThan(0.5);
    train(trainer, batchList, 150);
    await trainer.readMetrics();
    train(trainer, batchList, 40);
    const late = await metricsOf(trainer);
    expect(late.capacity).toBe(cMax);
    expect(late.klWeight).toBe(20);
    expect(Math.abs(late.terms.kl - cMax)).toBeLessThan(0.75);
    const test = await trainer.evaluate(DATA.images, DATA.count);
    expect(Math.abs(test.terms.kl - cMax)).toBeLessThan(1);
  });
});

describe('updateTraining with the new fields', () => {
  it('switches objective, schedule and free bits live, ignores undefined fields and hands out copies', async () => {
    const batchList = batches();
    const trainer = build();
    expect(trainer.config).toEqual({ ...TRAINING, klSchedule: { kind: 'constant' }, freeBits: 0, objective: 'vae', options: {}, datasetSize: 0 });
    train(trainer, batchList, 3);
    trainer.updateTraining({ objective: 'kl-only', freeBits: 0.1, klSchedule: { kind: 'linear', warmupSteps: 6 }, beta: undefined });
    expect(trainer.config).toMatchObject({ beta: 1, objective: 'kl-only', freeBits: 0.1, klSchedule: { kind: 'linear', warmupSteps: 6 } });
    // the schedule is evaluated at the trainer's step (3 steps taken): w = β·3/6
    expect(trainer.objectiveAt()).toEqual({ kind: 'kl-only', klWeight: 0.5, capacity: null, freeBits: 0.1, datasetSize: 0, options: {} });
    await trainer.readMetrics();
    train(trainer, batchList, 1);
    const m = await metricsOf(trainer);
    expect(m.klWeight).toBe(0.5);
    expect(m.objective).toBeCloseTo(0.5 * m.klPerDim.reduce((s, k) => s + Math.max(0.1, k), 0), 4);

    const copy = trainer.config;
    (copy.klSchedule as { warmupSteps: number }).warmupSteps = 1000;
    expect(trainer.config.klSchedule).toEqual({ kind: 'linear', warmupSteps: 6 });
    trainer.updateTraining({ objective: 'vae', klSchedule: { kind: 'constant' }, freeBits: 0 });
    expect(trainer.objectiveAt()).toEqual({ kind: 'vae', klWeight: 1, capacity: null, freeBits: 0, datasetSize: 0, options: {} });
  });

  it('evaluate reports the sampled ELBO (objective = −ELBO) whatever the training objective', async () => {
    const batchList = batches();
    const trainer = build({ objective: 'kl-only', beta: 5, freeBits: 1 });
    train(trainer, batchList, 2);
    const e = await trainer.evaluate(DATA.images, DATA.count);
    expect(e.objective).toBeCloseTo(e.negativeElbo, 4);
    expect(e.negativeElbo).toBeCloseTo(e.terms.reconstruction + e.terms.kl, 4);
  });
});
