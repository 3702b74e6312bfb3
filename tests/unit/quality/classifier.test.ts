import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { SampleClassifier } from '../../../src/core/quality/classifier';
import { summariseImages, compareSummaries } from '../../../src/core/quality/summary';
import { prototypePatterns } from '../helpers/data';
import { TestRng } from '../helpers/rng';
import { useCpuBackend } from '../helpers/tf';

beforeAll(useCpuBackend);

it('the sample classifier reaches ≥ 95% on held-out images, and its summary of the test set scores ~0 against itself', async () => {
  const side = 8;
  const train = prototypePatterns(256, 11, 4, 0.1, side);
  const test = prototypePatterns(200, 12, 4, 0.1, side);
  const shape = { width: side, height: side, channels: 1 };
  const c = new SampleClassifier(shape, 4, new TestRng(2), 0.01);
  const before = tf.memory().numTensors;
  for (let step = 0; step < 60; step++) {
    const k = (step % 8) * 32;
    tf.tidy(() => c.trainStep(tf.tensor2d(train.images.subarray(k * 64, (k + 32) * 64), [32, 64]), tf.tensor1d(train.labels.subarray(k, k + 32), 'int32')));
  }
  expect(tf.memory().numTensors).toBe(before);
  // held out: the last 100 of a larger draw share the prototypes but not the flips
  const more = prototypePatterns(456, 11, 4, 0.1, side);
  const heldImages = more.images.subarray(356 * 64);
  const heldLabels = more.labels.subarray(356);
  const probs = tf.tidy(() => tf.argMax(c.predict(tf.tensor2d(heldImages, [100, 64])).probabilities, 1));
  const predicted = probs.dataSync();
  probs.dispose();
  const accuracy = Array.from(predicted).filter((p, i) => p === heldLabels[i]).length / 100;
  expect(accuracy).toBeGreaterThanOrEqual(0.95);
  const s = await summariseImages(c, test.images, 200, shape, { chunk: 64 });
  expect(s.confidence).toBeGreaterThan(0.5);
  expect(s.classShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  const self = compareSummaries(s, s);
  expect(self.frechetDistance).toBeLessThan(1e-6);
  expect(self.sharpnessRatio).toBeCloseTo(1, 9);
  const kept = tf.memory().numTensors;
  c.dispose();
  expect(tf.memory().numTensors).toBeLessThan(kept);
}, 120_000);
