/**
 * The conditional VAE and M2: one z decoded with two classes gives two images; M2's unlabelled
 * terms are its labelled terms averaged over the classes with q(y|x) (a hand case with the same
 * noise), and with a few labels its classifier rises above chance within a few hundred steps.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/models/config';
import { SemiSupervisedVae } from '../../src/core/models/semiSupervised';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { givenNoise } from '../../src/core/training/noise';
import { Trainer } from '../../src/core/training/trainer';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const CLASSES = 4;
function config(family: 'cvae' | 'm2', latentDim = 2): ModelConfig {
  return { family, network: 'mlp', imageShape: { width: 8, height: 8, channels: 1 }, classCount: CLASSES, hiddenDim: 32, latentDim, likelihood: 'bernoulli', seed: 3, options: {} };
}

let owned: { dispose(): void }[] = [];
afterEach(() => {
  for (const o of owned) o.dispose();
  owned = [];
});

describe('conditional VAE', () => {
  it('decodes one z as different images for different classes, each near its class', async () => {
    const trainer = new Trainer(config('cvae'), { beta: 1, learningRate: 0.01, batchSize: 32 }, new TestRng(1));
    owned.push(trainer);
    const data = prototypePatterns(64, 5, CLASSES, 0.02);
    const x = tf.tensor2d(data.images, [64, data.dim]);
    const y = tf.tensor1d(data.labels, 'int32');
    owned.push(x, y);
    for (let s = 0; s < 300; s++) trainer.trainStep({ x, labels: y });
    const z = new Float32Array([0.3, -0.2, 0.3, -0.2]);
    const images = await trainer.decode(z, 2, Int32Array.from([0, 1]));
    const a = images.subarray(0, data.dim);
    const b = images.subarray(data.dim);
    const distance = (u: ArrayLike<number>, v: ArrayLike<number>) => Array.from(u).reduce((s, ui, i) => s + Math.abs(ui - v[i]), 0);
    expect(distance(a, b)).toBeGreaterThan(10);
    // each looks like an image of its own class (the first of that class in the data)
    const ofClass = (c: number) => data.images.subarray(c * data.dim, (c + 1) * data.dim);
    expect(distance(a, ofClass(0))).toBeLessThan(distance(a, ofClass(1)));
    expect(distance(b, ofClass(1))).toBeLessThan(distance(b, ofClass(0)));
    await expect(trainer.decode(z, 2)).rejects.toThrow(/class/);
  });
});

describe('M2', () => {
  it('sums its unlabelled terms over the classes with q(y|x)', () => {
    const model = new SemiSupervisedVae(config('m2', 3), new TestRng(2));
    owned.push(model);
    const data = prototypePatterns(2, 6, CLASSES, 0.1);
    tf.tidy(() => {
      const x = tf.tensor2d(data.images, [2, data.dim]);
      const rng = new TestRng(9);
      const eps = tf.tensor2d(rng.normals(CLASSES * 2 * 3), [CLASSES * 2, 3]);
      const spec = betaObjective(1);
      const unlabelled = model.losses({ x, labels: null }, givenNoise(eps), spec, 'model', { perExample: true });
      const q = values(model.classifier.classify(x));
      // the same images labelled with each class k, with the noise rows the unlabelled pass gave class k
      const perClass = Array.from({ length: CLASSES }, (_, k) =>
        model.losses({ x, labels: tf.tensor1d([k, k], 'int32') }, givenNoise(tf.slice(eps, [2 * k, 0], [2, 3]) as tf.Tensor2D), spec, 'model', { perExample: true }),
      );
      for (const term of ['reconstruction', 'kl'] as const) {
        const expected = [0, 1].map((i) => perClass.reduce((s, l, k) => s + q[i * CLASSES + k] * values(l.perExample![term])[i], 0));
        expectAllClose(unlabelled.perExample![term], expected, 1e-3, 1e-5);
      }
      // KL(q(y|x) ‖ uniform) = Σ q log q + log K; a labelled image pays −log p(y) = log K
      const classKl = [0, 1].map((i) => q.slice(i * CLASSES, (i + 1) * CLASSES).reduce((s, p) => s + p * Math.log(p), 0) + Math.log(CLASSES));
      expectAllClose(unlabelled.perExample!.classKl, classKl, 1e-5);
      expectAllClose(perClass[0].perExample!.classKl, [Math.log(CLASSES), Math.log(CLASSES)], 1e-6);
      // the classification term: −log q(y|x) of labelled rows, nothing for unlabelled ones
      expectAllClose(perClass[2].perExample!.classification, [0, 1].map((i) => -Math.log(q[i * CLASSES + 2])), 1e-4);
      expectAllClose(unlabelled.perExample!.classification, [0, 0], 0);
      // a mixed batch: the first row unlabelled, the second labelled with class 3
      const mixed = model.losses({ x, labels: tf.tensor1d([0, 3], 'int32'), unlabelledCount: 1 }, givenNoiseRows(eps, [[0], [2], [4], [6]], [[7]]), spec, 'model', { perExample: true });
      expect(values(mixed.perExample!.classification)[0]).toBe(0);
      expect(values(mixed.perExample!.classification)[1]).toBeCloseTo(-Math.log(q[CLASSES + 3]), 4);
    });
  });

  it('holds a flat tensor count over mixed batches, classifications and a mixture prior’s components', async () => {
    const data = prototypePatterns(40, 3, CLASSES, 0.05);
    const trainer = new Trainer(config('m2', 2), { beta: 1, learningRate: 0.003, batchSize: 32 }, new TestRng(5));
    owned.push(trainer);
    const x = tf.tensor2d(data.images, [40, data.dim]);
    const labels = tf.tensor1d(data.labels, 'int32');
    owned.push(x, labels);
    const step = async () => {
      trainer.trainStep({ x, labels, unlabelledCount: 30 });
      await trainer.readMetrics();
      await trainer.classify(data.images, data.count);
    };
    await step();
    const settled = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await step();
    expect(tf.memory().numTensors).toBe(settled);
    const mog = new Trainer({ ...config('cvae'), family: 'vae', options: { prior: 'vamp', components: 3 } }, { beta: 1, learningRate: 0.003, batchSize: 32 }, new TestRng(6));
    owned.push(mog);
    await mog.priorComponents();
    const before = tf.memory().numTensors;
    const parts = await mog.priorComponents();
    expect(parts?.pseudoInputs?.length).toBe(3 * data.dim);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns to classify from a few labels within a few hundred steps', async () => {
    const trainer = new Trainer(config('m2', 2), { beta: 1, learningRate: 0.003, batchSize: 32, options: { classifierWeight: 20 } }, new TestRng(4));
    owned.push(trainer);
    const data = prototypePatterns(96, 8, CLASSES, 0.08);
    const x = tf.tensor2d(data.images, [96, data.dim]);
    owned.push(x);
    // two labelled images of each class, appended after 32 unlabelled ones each step
    const labelledRows = [0, 1, 2, 3, 4, 5, 6, 7];
    const xl = tf.gather(x, labelledRows);
    const yl = tf.tensor1d(labelledRows.map((i) => data.labels[i]), 'int32');
    owned.push(xl, yl);
    const accuracy = async () => {
      const predicted = (await trainer.classify(data.images, data.count)) as Uint8Array;
      return predicted.reduce((s, p, i) => s + (p === data.labels[i] ? 1 : 0), 0) / data.count;
    };
    const start = await accuracy();
    for (let s = 0; s < 300; s++) {
      // (not inside a tidy: the trainer keeps its running sums across steps)
      const batch = tf.tidy(() => ({ x: tf.concat([tf.slice(x, [(s * 32) % 96, 0], [32, -1]), xl]) as tf.Tensor2D, labels: tf.concat([tf.fill([32], -1, 'int32'), yl]) as tf.Tensor1D }));
      trainer.trainStep({ ...batch, unlabelledCount: 32 });
      tf.dispose([batch.x, batch.labels]);
    }
    const end = await accuracy();
    expect(end).toBeGreaterThan(0.6); // chance: 0.25
    expect(end).toBeGreaterThan(start);
  });
});

/** Noise for successive calls: the rows of `eps` listed for each call, in order. */
function givenNoiseRows(eps: tf.Tensor2D, ...calls: number[][][]): (shape: [number, number]) => tf.Tensor2D {
  const flat = calls.map((blocks) => blocks.flat());
  let call = 0;
  return (shape) => {
    const rows = flat[call++];
    const out = tf.gather(eps, rows) as tf.Tensor2D;
    if (out.shape[0] !== shape[0]) throw new Error(`noise call ${call}: ${out.shape[0]} rows for ${shape[0]}`);
    return out;
  };
}
