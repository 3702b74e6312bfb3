/** Every data set the app can load, behind one function. */
import type { Dataset, DatasetId } from './dataset';
import { loadMnist } from './mnist';

export type ProgressCallback = (loadedBytes: number, totalBytes: number, stage: string) => void;

export const DATASETS: Record<DatasetId, { name: string; description: string }> = {
  mnist: { name: 'MNIST digits', description: '70,000 handwritten digits, 28×28 grey levels (LeCun et al.)' },
};

/** Load a data set from our own origin; assetBaseUrl is the app's base URL. */
export function loadDataset(id: DatasetId, assetBaseUrl: string, onProgress: ProgressCallback): Promise<Dataset> {
  switch (id) {
    case 'mnist':
      return loadMnist(new URL('data/', assetBaseUrl).href, (p) => onProgress(p.loadedBytes, p.totalBytes, p.stage));
  }
}
