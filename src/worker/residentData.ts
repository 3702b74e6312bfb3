/**
 * The data set the worker trains on, with its training images (and labels) resident on the
 * device once, so a batch is a gather on the device instead of an upload per step.
 */
import * as tf from '../core/tf';
import type { Batch } from '../core/models/family';
import { pixelCount, type Dataset } from '../data/dataset';
import type { DataSummary } from './protocol';

export class ResidentData {
  private images: tf.Tensor2D;
  private labels: tf.Tensor1D;

  constructor(readonly dataset: Dataset) {
    [this.images, this.labels] = this.upload();
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
    const at = tf.tensor1d(indices, 'int32');
    try {
      return { x: tf.gather(this.images, at) as tf.Tensor2D, labels: withLabels ? (tf.gather(this.labels, at) as tf.Tensor1D) : null };
    } finally {
      at.dispose();
    }
  }

  /** Upload again, after the backend changed (a lost WebGL context takes every tensor with it). */
  reupload(): void {
    try {
      // freeing tensors of a lost context is harmless; a backend that refuses only leaks them
      this.images.dispose();
      this.labels.dispose();
    } catch {
      // nothing to free
    }
    [this.images, this.labels] = this.upload();
  }

  dispose(): void {
    this.images.dispose();
    this.labels.dispose();
  }

  private upload(): [tf.Tensor2D, tf.Tensor1D] {
    const { train } = this.dataset;
    return [tf.tensor2d(train.images, [train.count, this.pixels]), tf.tensor1d(Int32Array.from(train.labels), 'int32')];
  }
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.labels?.dispose();
}
