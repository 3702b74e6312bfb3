/**
 * The data set the worker trains on, and how a training batch is made of it. On WebGL the training
 * images (and labels) are resident on the GPU once, so a batch is a gather there instead of an
 * upload per step. On the backends whose tensors live in CPU memory (wasm, cpu) a batch is copied
 * row by row from the data set's own arrays: tfjs-wasm's gather took 2.8 ms of a conv step's 27
 * (`npm run bench -- --net conv --profile 40`), a copy of 128 rows takes a few µs, and the 188 MB
 * of MNIST need not be copied onto the wasm heap at all.
 */
import * as tf from '../core/tf';
import type { Batch } from '../core/models/family';
import { pixelCount, type Dataset } from '../data/dataset';
import type { DataSummary } from './protocol';

/** Backends whose tensors live on a device of their own: there a batch is gathered on it. */
const DEVICE_BACKENDS = ['webgl', 'webgpu'];

export class ResidentData {
  /** The training images and labels on the device (null: batches are copied from the arrays). */
  private device: { images: tf.Tensor2D; labels: tf.Tensor1D } | null;

  constructor(readonly dataset: Dataset) {
    this.device = this.upload();
  }

  get summary(): DataSummary {
    const d = this.dataset;
    const factors = d.test.factors ? { names: d.test.factors.names, sizes: d.test.factors.sizes } : null;
    return { datasetId: d.id, name: d.name, shape: d.shape, classNames: d.classNames, trainCount: d.train.count, testCount: d.test.count, factors };
  }

  get pixels(): number {
    return pixelCount(this.dataset.shape);
  }

  /** The training rows `indices` as a batch on the device (labels only when asked for). */
  batch(indices: Int32Array, withLabels: boolean): Batch {
    if (!this.device) return this.copiedBatch(indices, withLabels);
    const { images, labels } = this.device;
    const at = tf.tensor1d(indices, 'int32');
    try {
      return { x: tf.gather(images, at) as tf.Tensor2D, labels: withLabels ? (tf.gather(labels, at) as tf.Tensor1D) : null };
    } finally {
      at.dispose();
    }
  }

  private copiedBatch(indices: Int32Array, withLabels: boolean): Batch {
    const { train } = this.dataset;
    const p = this.pixels;
    const x = new Float32Array(indices.length * p);
    const labels = withLabels ? new Int32Array(indices.length) : null;
    indices.forEach((row, i) => {
      if (!(row >= 0 && row < train.count)) throw new RangeError(`batch row ${row} is outside the ${train.count} training images`);
      x.set(train.images.subarray(row * p, (row + 1) * p), i * p);
      if (labels) labels[i] = train.labels[row];
    });
    return { x: tf.tensor2d(x, [indices.length, p]), labels: labels ? tf.tensor1d(labels, 'int32') : null };
  }

  /** Upload again, after the backend changed (a lost WebGL context takes every tensor with it). */
  reupload(): void {
    try {
      // freeing tensors of a lost context is harmless; a backend that refuses only leaks them
      this.dispose();
    } catch {
      // nothing to free
    }
    this.device = this.upload();
  }

  dispose(): void {
    this.device?.images.dispose();
    this.device?.labels.dispose();
    this.device = null;
  }

  /** On a device backend, the training set as tensors there; elsewhere nothing. */
  private upload(): { images: tf.Tensor2D; labels: tf.Tensor1D } | null {
    if (!DEVICE_BACKENDS.includes(tf.getBackend())) return null;
    const { train } = this.dataset;
    return { images: tf.tensor2d(train.images, [train.count, this.pixels]), labels: tf.tensor1d(Int32Array.from(train.labels), 'int32') };
  }
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.labels?.dispose();
}
