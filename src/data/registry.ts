/** Every data set the app can load, behind one function. */
import type { Dataset, DatasetId } from './dataset';
import { loadFashionMnist } from './fashion';
import { loadMnist } from './mnist';
import { generateShapes } from './shapes';

export { DATASETS } from './catalog';

export type ProgressCallback = (loadedBytes: number, totalBytes: number, stage: string) => void;

/** Load a data set from our own origin; assetBaseUrl is the app's base URL. */
export function loadDataset(id: DatasetId, assetBaseUrl: string, onProgress: ProgressCallback): Promise<Dataset> {
  switch (id) {
    case 'mnist':
      return loadMnist(new URL('data/', assetBaseUrl).href, (p) => onProgress(p.loadedBytes, p.totalBytes, p.stage));
    case 'fashion':
      return loadFashionMnist(new URL('data/', assetBaseUrl).href, (p) => onProgress(p.loadedBytes, p.totalBytes, p.stage));
    case 'shapes':
      // Generated here (fixed seed), synchronously; the promise turns a throw into a rejection.
      return Promise.resolve().then(() => generateShapes({ seed: 0, onProgress: (done, total) => onProgress(done, total, 'generate') }));
  }
}
