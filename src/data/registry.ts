/** Every data set the app can load, behind one function. */
import type { Dataset, DatasetId } from './dataset';
import { loadMnist } from './mnist';
import { generateShapes } from './shapes';

export type ProgressCallback = (loadedBytes: number, totalBytes: number, stage: string) => void;

export const DATASETS: Record<DatasetId, { name: string; description: string }> = {
  mnist: { name: 'MNIST digits', description: '70,000 handwritten digits, 28×28 grey levels (LeCun et al.)' },
  shapes: { name: 'Shapes (dSprites factors)', description: '45,000 binary 32×32 sprites (square, ellipse, heart) generated from known factors' },
};

/** Load a data set from our own origin; assetBaseUrl is the app's base URL. */
export function loadDataset(id: DatasetId, assetBaseUrl: string, onProgress: ProgressCallback): Promise<Dataset> {
  switch (id) {
    case 'mnist':
      return loadMnist(new URL('data/', assetBaseUrl).href, (p) => onProgress(p.loadedBytes, p.totalBytes, p.stage));
    case 'shapes':
      // Generated here (fixed seed), synchronously; the promise turns a throw into a rejection.
      return Promise.resolve().then(() => generateShapes({ seed: 0, onProgress: (done, total) => onProgress(done, total, 'generate') }));
  }
}
