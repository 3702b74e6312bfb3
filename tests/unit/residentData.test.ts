import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, ResidentData } from '../../src/worker/residentData';
import { fakeDataset, SIDE } from './helpers/sessionHarness';
import { useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

describe('ResidentData on a backend whose tensors live in CPU memory', () => {
  it('copies a batch row by row: the rows and labels asked for, in their order', () => {
    const dataset = fakeDataset();
    const data = new ResidentData(dataset);
    const rows = Int32Array.from([5, 0, 255, 5, 17]);
    const batch = data.batch(rows, true);
    const p = SIDE * SIDE;
    expect(batch.x.shape).toEqual([rows.length, p]);
    const expected = Array.from(rows).flatMap((r) => Array.from(dataset.train.images.subarray(r * p, (r + 1) * p)));
    expect(values(batch.x)).toEqual(expected);
    expect(batch.labels && values(batch.labels)).toEqual(Array.from(rows).map((r) => dataset.train.labels[r]));
    // the same batch as a gather of the whole set on the device would give
    const all = tf.tensor2d(dataset.train.images, [dataset.train.count, p]);
    const gathered = tf.gather(all, tf.tensor1d(rows, 'int32'));
    expect(values(batch.x)).toEqual(values(gathered));
    tf.dispose([all, gathered]);
    disposeBatch(batch);
    data.dispose();
  });

  it('keeps no copy of the training set on the heap, and a batch owns only its own tensors', () => {
    const before = tf.memory().numTensors;
    const data = new ResidentData(fakeDataset());
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 20; i++) {
      const batch = data.batch(Int32Array.from([i, i + 1]), i % 2 === 0);
      expect(batch.labels === null).toBe(i % 2 === 1);
      disposeBatch(batch);
    }
    expect(tf.memory().numTensors).toBe(before);
    data.reupload();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a row outside the training set with a clear message', () => {
    const data = new ResidentData(fakeDataset());
    const before = tf.memory().numTensors;
    expect(() => data.batch(Int32Array.from([0, 256]), false)).toThrow(/batch row 256 is outside the 256 training images/);
    expect(() => data.batch(Int32Array.from([-1]), false)).toThrow(/batch row -1/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
