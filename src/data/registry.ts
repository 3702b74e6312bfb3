/** Every data set the app can load, behind one function. */
import type { Dataset, DatasetId, ImageSplit } from './dataset';
import { FASHION_MNIST, loadFashionMnist } from './fashion';
import { loadIdxTestSplit } from './idxDataset';
import { loadMnist, MNIST } from './mnist';
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
    case 'own':
      // prepared in the page and handed to the worker (useImages); there is nothing to fetch
      return Promise.reject(new Error('no images yet: choose some under “Your own images” first'));
  }
}

/** Only a data set's test split (scored as out-of-distribution images by a model of another). */
export function loadTestSplit(id: DatasetId, assetBaseUrl: string, onProgress: ProgressCallback): Promise<ImageSplit> {
  const progress = (p: { loadedBytes: number; totalBytes: number; stage: string }) => onProgress(p.loadedBytes, p.totalBytes, p.stage);
  switch (id) {
    case 'mnist':
      return loadIdxTestSplit(MNIST, new URL('data/', assetBaseUrl).href, progress);
    case 'fashion':
      return loadIdxTestSplit(FASHION_MNIST, new URL('data/', assetBaseUrl).href, progress);
    case 'shapes':
      return loadDataset('shapes', assetBaseUrl, onProgress).then((d) => d.test);
    case 'own':
      return Promise.reject(new Error('your own images have no test split to score against another model'));
  }
}
