/**
 * Images a model has not been trained on, to score against its test set (anomaly detection by
 * −ELBO): another data set of the same image size (MNIST ↔ Fashion-MNIST), pure noise, the test
 * images inverted, and a class held out of training. Typed arrays only.
 */
import { DATASETS } from './catalog';
import type { DatasetId } from './dataset';
import { Rng } from './rng';

export type OutlierSetId = 'other-data' | 'noise' | 'inverted' | 'held-out';

export const OUTLIER_SET_IDS: readonly OutlierSetId[] = ['other-data', 'noise', 'inverted', 'held-out'];

/** The data set whose test images stand in for "something else" (same image size), or null. */
export function otherDatasetOf(id: DatasetId): DatasetId | null {
  const pairs: Partial<Record<DatasetId, DatasetId>> = { mnist: 'fashion', fashion: 'mnist' };
  return pairs[id] ?? null;
}

/** What each set is called on the page, for a model trained on `datasetId`. */
export function outlierSetLabel(id: OutlierSetId, datasetId: DatasetId, heldOutName?: string): string {
  switch (id) {
    case 'other-data': {
      const other = otherDatasetOf(datasetId);
      return other ? DATASETS[other].shortName : 'another data set';
    }
    case 'noise':
      return 'pure noise';
    case 'inverted':
      return datasetId === 'mnist' ? 'inverted digits' : 'inverted images';
    case 'held-out':
      return heldOutName === undefined ? 'held-out class' : `held-out class ${heldOutName}`;
  }
}

/** Images of i.i.d. uniform pixels in [0, 1], seeded. */
export function uniformNoiseImages(count: number, pixels: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * pixels }, () => rng.next());
}

/** 1 − x of every pixel of the first `count` rows (white strokes on black become black on white). */
export function invertedImages(images: Float32Array, count: number, pixels: number): Float32Array {
  return Float32Array.from(images.subarray(0, count * pixels), (v) => 1 - v);
}

/** The indices of the rows whose label is `label` (inside = true) or is not (inside = false). */
export function rowsWithLabel(labels: ArrayLike<number>, label: number, inside: boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if ((labels[i] === label) === inside) out.push(i);
  return Int32Array.from(out);
}

/** The rows `indices` of a row-major [*, pixels] array, copied. */
export function pickRows(images: Float32Array, pixels: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * pixels);
  for (let k = 0; k < indices.length; k++) out.set(images.subarray(indices[k] * pixels, (indices[k] + 1) * pixels), k * pixels);
  return out;
}
