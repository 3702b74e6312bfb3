/** What the main thread needs to know of each data set before loading it: names, image shape, classes. */
import type { DatasetId, ImageShape } from './dataset';

export interface DatasetInfo {
  name: string;
  /** A word for titles ("MNIST"). */
  shortName: string;
  description: string;
  shape: ImageShape;
  /** Number of classes (labels 0 … classCount − 1). */
  classCount: number;
}

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  mnist: { name: 'MNIST digits', shortName: 'MNIST', description: '70,000 handwritten digits, 28×28 grey levels (LeCun et al.)', shape: { width: 28, height: 28, channels: 1 }, classCount: 10 },
  fashion: {
    name: 'Fashion-MNIST',
    shortName: 'Fashion-MNIST',
    description:
      '70,000 clothing images in 10 classes, 28×28 grey levels (Xiao et al. 2017); the package has no split, so ours is fixed and seeded: 60,000 training / 10,000 test, 6,000 / 1,000 per class',
    shape: { width: 28, height: 28, channels: 1 },
    classCount: 10,
  },
  shapes: {
    name: 'Shapes (dSprites factors)',
    shortName: 'Shapes',
    description: '45,000 binary 32×32 sprites (square, ellipse, heart) generated from known factors',
    shape: { width: 32, height: 32, channels: 1 },
    classCount: 3,
  },
  own: {
    name: 'Your own images',
    shortName: 'your images',
    description:
      'PNG or JPEG images you drop on the page (files, a folder or a zip; up to 20,000): made grey, light strokes on dark, fitted into 28×28 or 32×32 pixels; classes from sub-folder names; a tenth held out for testing',
    // the size and the classes are the images': these are the defaults before any are chosen
    shape: { width: 28, height: 28, channels: 1 },
    classCount: 1,
  },
};

export const DATASET_IDS = Object.keys(DATASETS) as DatasetId[];
