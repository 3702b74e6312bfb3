/**
 * β-TCVAE (Chen et al. 2018) and the KL's three parts as every Gaussian model reports them: the
 * objective is reconstruction + KL + (β − 1)·TC (the −ELBO at β = 1), the reported parts are
 * the decomposition of the batch's own samples, the data set's size reaches the estimator, and
 * training with β-TCVAE lowers the total correlation against a plain VAE of the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectiveSpec } from '../../src/core/objective/gaussianObjective';
import { gaussianLatentOf } from '../../src/core/models/family';
import { klDecomposition } from '../../src/core/objective/klDecomposition';
import { Trainer } from '../../src/core/training/trainer';
import type { TrainingConfig } from '../../src/core/training/config';
import { givenNoise } from '../../src/core/training/noise';
import { mlpVae } from './helpers/model';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const MODEL = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 4, likelihood: 'bernoulli', seed: 5 });
const TRAINING: TrainingConfig = { beta: 1, learningRate: 0.01, batchSize: 32 };
const DATA = prototypePatterns(128, 77);

let live: Trainer | null = null;
let held: tf.Tensor[] = [];
function build(training: Partial<TrainingConfig> = {}): Trainer {
  if (live) throw new Error('a trainer is still alive');
  live = new Trainer(MODEL, { ...TRAINING, ...training }, new TestRng(MODEL.seed));
  return live;
}
function batch(start: number, n: number): tf.Tensor2D {
  const x = tf.tensor2d(DATA.images.subarray(start * 64, (start + n) * 64), [n, 64]);
  held.push(x);
  return x;
}
function noise(n: number, seed: number): tf.Tensor2D {
  const rng = new TestRng(seed);
  const e = tf.tensor2d(Array.from({ length: n * 4 }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())), [n, 4]);
  held.push(e);
  return e;
}
afterEach(() => {
  live?.dispose();
  live = null;
  tf.dispose(held);
  held = [];
});

const spec = (s: Partial<ObjectiveSpec>): ObjectiveSpec => ({ kind: 'vae', klWeight: 1, capacity: null, freeBits: 0, datasetSize: 1000, ...s });
const scalars = (trainer: Trainer, x: tf.Tensor2D, eps: tf.Tensor2D, s: ObjectiveSpec) =>
  tf.tidy(() => {
    const l = trainer.losses(x, givenNoise(eps), s);
    const read = (t: tf.Tensor) => values(t)[0];
    return {
      objective: read(l.objective),
      negativeElbo: read(l.negativeElbo),
      reconstruction: read(l.means.reconstruction),
      kl: read(l.means.kl),
      mi: read(l.means.mutualInformation),
      tc: read(l.means.totalCorrelation),
      dwkl: read(l.means.dimensionWiseKl),
    };
  });

describe('β-TCVAE', () => {
  it('minimises reconstruction + KL + (β − 1)·TC: the −ELBO at β = 1', () => {
    const trainer = build();
    const x = batch(0, 32);
    const eps = noise(32, 1);
    const at1 = scalars(trainer, x, eps, spec({ kind: 'tcvae', klWeight: 1 }));
    expect(at1.objective).toBeCloseTo(at1.negativeElbo, 4);
    const at6 = scalars(trainer, x, eps, spec({ kind: 'tcvae', klWeight: 6 }));
    expect(at6.objective).toBeCloseTo(at6.reconstruction + at6.kl + 5 * at6.tc, 3);
    // the KL and the bound are the same whatever the objective; the parts are those of the samples
    expect(at6.negativeElbo).toBeCloseTo(at1.negativeElbo, 4);
    const vae = scalars(trainer, x, eps, spec({ kind: 'vae', klWeight: 6 }));
    expect(vae.objective).toBeCloseTo(vae.reconstruction + 6 * vae.kl, 3);
    expect(vae.negativeElbo).toBeCloseTo(at1.negativeElbo, 4);
  });

  it('takes the β(t) of the schedule for the TC weight, and β itself with no target under capacity annealing', () => {
    const trainer = build({ objective: 'tcvae', beta: 6, klSchedule: { kind: 'linear', warmupSteps: 10 } });
    expect(trainer.objectiveAt(5)).toMatchObject({ kind: 'tcvae', klWeight: 3, capacity: null });
    trainer.updateTraining({ klSchedule: { kind: 'capacity', capacityMax: 25, capacitySteps: 100, gamma: 1000 } });
    expect(trainer.objectiveAt(50)).toMatchObject({ kind: 'tcvae', klWeight: 6, capacity: null });
  });

  it('reports the decomposition of the batch: every sample for β-TCVAE, the first 32 for the chart, with the given N', () => {
    const trainer = build();
    const x = batch(0, 64);
    const eps = noise(64, 2);
    const expected = (rows: number, n: number) =>
      tf.tidy(() => {
        const { mu, logVar } = gaussianLatentOf(trainer.model, 'the test').encode(x, null);
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
        const parts = klDecomposition({ mu, logVar }, z, eps, n, rows);
        return [parts.mutualInformation, parts.totalCorrelation, parts.dimensionWiseKl].map((t) => values(tf.mean(t))[0]);
      });
    const tc = scalars(trainer, x, eps, spec({ kind: 'tcvae', klWeight: 4, datasetSize: 5000 }));
    const [mi, tcAll, dwkl] = expected(Number.POSITIVE_INFINITY, 5000);
    expect(tc.mi).toBeCloseTo(mi, 4);
    expect(tc.tc).toBeCloseTo(tcAll, 4);
    expect(tc.dwkl).toBeCloseTo(dwkl, 4);
    const chart = scalars(trainer, x, eps, spec({ kind: 'vae', datasetSize: 5000 }));
    const [mi32, tc32, dwkl32] = expected(32, 5000);
    expect(chart.mi).toBeCloseTo(mi32, 4);
    expect(chart.tc).toBeCloseTo(tc32, 4);
    expect(chart.dwkl).toBeCloseTo(dwkl32, 4);
    // N moves the parts (MI is at most log N), not their sum
    const small = scalars(trainer, x, eps, spec({ kind: 'tcvae', datasetSize: 64 }));
    expect(small.mi + small.tc + small.dwkl).toBeCloseTo(tc.mi + tc.tc + tc.dwkl, 3);
  });

  it('passes the training set size to the estimator and scores every example with the parts', async () => {
    const trainer = build({ datasetSize: 60_000 });
    expect(trainer.objectiveAt().datasetSize).toBe(60_000);
    const scores = await trainer.scoreExamples(DATA.images, 40, 40);
    for (const id of ['mutualInformation', 'totalCorrelation', 'dimensionWiseKl']) expect(scores.terms[id]).toHaveLength(40);
    // per example the parts sum to the one-sample KL estimate, whose mean is near the KL
    const sum = Array.from(scores.terms.mutualInformation, (v, i) => v + scores.terms.totalCorrelation[i] + scores.terms.dimensionWiseKl[i]);
    const meanSum = sum.reduce((s, v) => s + v, 0) / sum.length;
    const meanKl = Array.from(scores.terms.kl).reduce((s, v) => s + v, 0) / 40;
    expect(Math.abs(meanSum - meanKl)).toBeLessThan(0.5 + 0.2 * meanKl);
  });

  it('lowers the total correlation against a plain VAE trained with the same seed, data and steps', async () => {
    const steps = 250;
    const finalTc = async (training: Partial<TrainingConfig>) => {
      const trainer = build({ datasetSize: DATA.count, ...training });
      for (let s = 0; s < steps; s++) trainer.trainStep(batch((s * 32) % DATA.count, 32));
      const scores = await trainer.scoreExamples(DATA.images, DATA.count, DATA.count);
      const tc = Array.from(scores.terms.totalCorrelation).reduce((a, v) => a + v, 0) / DATA.count;
      const elbo = Array.from(scores.negativeElbo).reduce((a, v) => a + v, 0) / DATA.count;
      live?.dispose();
      live = null;
      tf.dispose(held);
      held = [];
      return { tc, elbo };
    };
    const vae = await finalTc({ objective: 'vae', beta: 1 });
    const tcvae = await finalTc({ objective: 'tcvae', beta: 10 });
    console.log(`TC after ${steps} steps: VAE ${vae.tc.toFixed(3)} nats (−ELBO ${vae.elbo.toFixed(1)}), β-TCVAE β = 10 ${tcvae.tc.toFixed(3)} nats (−ELBO ${tcvae.elbo.toFixed(1)})`);
    expect(tcvae.tc).toBeLessThan(vae.tc - 0.1);
    expect(tcvae.elbo).toBeLessThan(44.4 * 0.8); // it still learns the images (an untrained model is at ~44 nats)
  });
});
