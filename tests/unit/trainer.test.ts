import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_EXTRAS, type TrainingConfig } from '../../src/core/training/config';
import { Trainer, type TrainingMetrics } from '../../src/core/training/trainer';
import { mlpVae, pixelsOf } from './helpers/model';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { expectAllClose, readVariables, useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

/** Small enough for the cpu backend (≈4 ms a step): 64-32-2 on 8×8 binary patterns. */
const MODEL = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 2, likelihood: 'bernoulli', seed: 7 });
const TRAINING: TrainingConfig = { beta: 1, learningRate: 0.01, batchSize: 16 };
const DATA = prototypePatterns(64, 2024);

// Variable names are global in tfjs, so only one trainer may live at a time: each test builds
// its own with `build`, and whatever is still alive is disposed after the test.
let live: Trainer | null = null;
function build(training: Partial<TrainingConfig> = {}, rng = new TestRng(MODEL.seed)): Trainer {
  if (live) throw new Error('a trainer is still alive');
  live = new Trainer(MODEL, { ...TRAINING, ...training }, rng);
  return live;
}
function release(trainer: Trainer): void {
  trainer.dispose();
  if (live === trainer) live = null;
}

// Fixed mini-batches of DATA, cycled in order; made once per test and freed after it.
let xs: tf.Tensor2D[] = [];
function batches(): tf.Tensor2D[] {
  const { batchSize } = TRAINING;
  for (let start = 0; start < DATA.count; start += batchSize) {
    const n = Math.min(batchSize, DATA.count - start);
    xs.push(tf.tensor2d(DATA.images.subarray(start * DATA.dim, (start + n) * DATA.dim), [n, DATA.dim]));
  }
  return xs;
}

afterEach(() => {
  if (live) release(live);
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

describe('Trainer: learning', () => {
  it('training lowers the −ELBO of the training subset by a clear margin', async () => {
    const trainer = build();
    const before = await trainer.evaluate(DATA.images, DATA.count);
    // evaluate is deterministic (fixed seed) and does not train.
    expect(await trainer.evaluate(DATA.images, DATA.count)).toEqual(before);
    train(trainer, batches(), 300);
    const after = await trainer.evaluate(DATA.images, DATA.count);
    // An untrained decoder is close to a coin flip per pixel: ≈ 64·log 2 ≈ 44 nats.
    expect(before.negativeElbo).toBeGreaterThan(35);
    expect(after.negativeElbo).toBeLessThan(0.8 * before.negativeElbo);
    expect(after.terms.reconstruction).toBeLessThan(0.8 * before.terms.reconstruction);
    // The terms add up.
    expect(after.negativeElbo).toBeCloseTo(after.terms.reconstruction + after.terms.kl, 4);
    expect(after.terms.kl).toBeCloseTo(after.klPerDim[0] + after.klPerDim[1], 4);
  });

  it('β = 8 ends with a smaller KL than β = 1 (same seed, data and steps)', async () => {
    const batchList = batches();
    const kl: Record<number, number> = {};
    for (const beta of [1, 8]) {
      const trainer = build({ beta });
      train(trainer, batchList, 300);
      kl[beta] = (await trainer.evaluate(DATA.images, DATA.count)).terms.kl;
      release(trainer);
    }
    expect(kl[1]).toBeGreaterThan(0.5); // the latent is in use at β = 1…
    expect(kl[8]).toBeLessThan(0.75 * kl[1]); // …and β = 8 squeezes it.
  });

  it('encode and decode return posteriors and mean images of the right size', async () => {
    const trainer = build();
    const { mu, logVar } = await trainer.encode(DATA.images.subarray(0, 5 * DATA.dim), 5);
    expect(mu.length).toBe(5 * MODEL.latentDim);
    expect(logVar.length).toBe(5 * MODEL.latentDim);
    expect([...mu, ...logVar].every(Number.isFinite)).toBe(true);
    const means = await trainer.decode(new Float32Array([0, 0, 3, -3, -1, 2]), 3);
    expect(means.length).toBe(3 * pixelsOf(MODEL));
    expect(means.every((v) => v > 0 && v < 1)).toBe(true);
  });
});

describe('Trainer: metrics and hyper-parameters', () => {
  it('readMetrics averages over the steps since the last read, then resets', async () => {
    const batchList = batches();
    // Run 1: read after every step.
    const first = build();
    expect(await first.readMetrics()).toBeNull();
    const perStep: TrainingMetrics[] = [];
    for (let s = 0; s < 3; s++) {
      train(first, batchList, 1);
      perStep.push(await metricsOf(first));
    }
    release(first);
    expect(perStep.every((m) => m.steps === 1)).toBe(true);
    // The three steps saw different batches and weights: an average is not a copy.
    expect(new Set(perStep.map((m) => m.negativeElbo)).size).toBe(3);

    // Run 2, same seed: read once after three steps.
    const second = build();
    train(second, batchList, 3);
    const averaged = await metricsOf(second);
    expect(averaged.steps).toBe(3);
    const mean = (f: (m: TrainingMetrics) => number) => perStep.reduce((s, m) => s + f(m), 0) / 3;
    expect(averaged.terms.reconstruction).toBeCloseTo(mean((m) => m.terms.reconstruction), 4);
    expect(averaged.terms.kl).toBeCloseTo(mean((m) => m.terms.kl), 5);
    expect(averaged.negativeElbo).toBeCloseTo(mean((m) => m.negativeElbo), 4);
    expect(averaged.objective).toBeCloseTo(mean((m) => m.objective), 4);
    expectAllClose(averaged.klPerDim, [0, 1].map((d) => mean((m) => m.klPerDim[d])), 1e-5);
    // Reset: nothing to read until the next step, and the next read covers one step only.
    expect(await second.readMetrics()).toBeNull();
    train(second, batchList, 1);
    expect((await metricsOf(second)).steps).toBe(1);
  });

  it('updateTraining({ beta }) takes effect at the next step', async () => {
    const batchList = batches();
    const trainer = build();
    train(trainer, batchList, 20);
    const atBetaOne = await metricsOf(trainer);
    expect(atBetaOne.objective).toBeCloseTo(atBetaOne.negativeElbo, 5);
    const weightsBefore = readVariables(trainer.variables);

    trainer.updateTraining({ beta: 4 });
    expect(trainer.config).toEqual({ ...TRAINING, ...DEFAULT_TRAINING_EXTRAS, beta: 4 });
    train(trainer, batchList, 1);
    const atBetaFour = await metricsOf(trainer);
    expect(atBetaFour.terms.kl).toBeGreaterThan(0.1);
    expect(atBetaFour.objective).toBeCloseTo(atBetaFour.terms.reconstruction + 4 * atBetaFour.terms.kl, 4);
    expect(atBetaFour.negativeElbo).toBeCloseTo(atBetaFour.terms.reconstruction + atBetaFour.terms.kl, 4);
    const weightsAtFour = readVariables(trainer.variables);

    // The same step at β = 1 (same weights, optimiser state and noise) moves the weights differently,
    // so β reached the gradient, not only the reported objective.
    release(trainer);
    const replay = build({}, new TestRng(MODEL.seed));
    train(replay, batchList, 20);
    expect(readVariables(replay.variables)).toEqual(weightsBefore);
    expect(replay.config.beta).toBe(1);
    train(replay, batchList, 1);
    const weightsAtOne = readVariables(replay.variables);
    expect(weightsAtOne[0]).not.toEqual(weightsAtFour[0]);
  });

  it('updateTraining({ learningRate }) reaches the optimiser', () => {
    const batchList = batches();
    const trainer = build();
    trainer.updateTraining({ learningRate: 0 });
    const before = readVariables(trainer.variables);
    train(trainer, batchList, 2);
    expect(readVariables(trainer.variables)).toEqual(before);
    trainer.updateTraining({ learningRate: 0.01 });
    train(trainer, batchList, 1);
    expect(readVariables(trainer.variables)[0]).not.toEqual(before[0]);
  });
});

describe('Trainer: checkpoints and divergence', () => {
  it('exported weights import into a fresh trainer at their step, and its checkpoints keep that step', async () => {
    const source = build();
    const [x] = batches();
    for (let i = 0; i < 3; i++) source.trainStep(x);
    const weights = await source.exportWeights();
    release(source);
    const target = build();
    target.importWeights(weights, 500);
    expect(target.step).toBe(500);
    expectAllClose(await target.exportWeights().then((w) => w.flatMap((a) => Array.from(a.values))), weights.flatMap((a) => Array.from(a.values)), 0);
    target.saveCheckpoint();
    for (let i = 0; i < 3; i++) target.trainStep(x);
    expect(target.step).toBe(503);
    target.restoreCheckpoint();
    expect(target.step).toBe(500);
    expect(() => target.importWeights(weights.slice(1), 0)).toThrow(/do not fit/);
  });

  it('restoreCheckpoint restores the weights exactly, resets step and metrics, and can repeat', async () => {
    const batchList = batches();
    const trainer = build();
    expect(trainer.hasCheckpoint).toBe(false);
    expect(trainer.restoreCheckpoint()).toBe(false);
    train(trainer, batchList, 5);
    trainer.saveCheckpoint();
    expect(trainer.hasCheckpoint).toBe(true);
    const saved = readVariables(trainer.variables);

    train(trainer, batchList, 10);
    expect(trainer.step).toBe(15);
    const moved = readVariables(trainer.variables);
    expect(moved.some((w, i) => w.some((v, j) => v !== saved[i][j]))).toBe(true);

    expect(trainer.restoreCheckpoint()).toBe(true);
    expect(trainer.step).toBe(5);
    expect(readVariables(trainer.variables)).toEqual(saved);
    expect(await trainer.readMetrics()).toBeNull();

    // Training on from the restored weights must not disturb the checkpoint itself.
    train(trainer, batchList, 4);
    expect(trainer.restoreCheckpoint()).toBe(true);
    expect(readVariables(trainer.variables)).toEqual(saved);
    expect(trainer.step).toBe(5);
  });

  it('restoreCheckpoint restores the optimiser state too: the replayed step is identical', () => {
    const batchList = batches();
    const rng = new TestRng(MODEL.seed);
    const trainer = build({}, rng);
    train(trainer, batchList, 6);
    trainer.saveCheckpoint();
    const rngAtSave = rng.save();
    train(trainer, batchList, 1);
    const afterOneStep = readVariables(trainer.variables);
    train(trainer, batchList, 5);

    trainer.restoreCheckpoint();
    rng.rewind(rngAtSave); // same noise as the first time round
    train(trainer, batchList, 1); // same batch too, since step was reset
    expect(readVariables(trainer.variables)).toEqual(afterOneStep);
  });

  it('weightsAreFinite goes false when a weight is NaN, and a checkpoint recovers', async () => {
    const trainer = build();
    trainer.saveCheckpoint();
    expect(await trainer.weightsAreFinite()).toBe(true);
    const target = trainer.variables[6]; // decoder output weight
    tf.tidy(() => {
      const values = Float32Array.from(target.dataSync() as Float32Array);
      values[3] = NaN;
      target.assign(tf.tensor(values, target.shape));
    });
    expect(await trainer.weightsAreFinite()).toBe(false);
    trainer.restoreCheckpoint();
    expect(await trainer.weightsAreFinite()).toBe(true);
    tf.tidy(() => trainer.variables[1].assign(tf.fill(trainer.variables[1].shape, Infinity)));
    expect(await trainer.weightsAreFinite()).toBe(false);
  });
});

describe('Trainer: tensor bookkeeping', () => {
  it('holds a constant number of tensors over 200 steps with encode, decode, readMetrics and evaluate, and dispose frees all', async () => {
    const batchList = batches();
    const start = tf.memory();
    const trainer = build();
    trainer.saveCheckpoint();
    train(trainer, batchList, 1);
    const afterFirstStep = tf.memory();
    await metricsOf(trainer);
    const afterRead = tf.memory();
    // The only tensor a step adds is the running metric sum, freed by readMetrics.
    expect(afterRead.numTensors).toBe(afterFirstStep.numTensors - 1);

    const latents = new Float32Array([0, 0, 1, -1, -2, 0.5]);
    for (let s = 1; s <= 200; s++) {
      train(trainer, batchList, 1);
      if (s % 10 === 0) {
        await trainer.encode(DATA.images.subarray(0, 8 * DATA.dim), 8);
        await trainer.decode(latents, 3);
      }
      if (s % 25 === 7) await metricsOf(trainer);
      if (s % 40 === 0) await trainer.evaluate(DATA.images, DATA.count, 24);
      if (s % 60 === 0) trainer.saveCheckpoint(); // replaces the previous one
      if (s === 130) trainer.restoreCheckpoint();
      if (s === 199) expect(tf.memory().numTensors).toBe(afterFirstStep.numTensors); // unread sum
    }
    expect(trainer.step).toBeGreaterThan(100);
    await metricsOf(trainer);
    expect(tf.memory().numTensors).toBe(afterRead.numTensors);
    expect(tf.memory().numBytes).toBe(afterRead.numBytes);

    release(trainer);
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numBytes).toBe(start.numBytes);
  });
});
