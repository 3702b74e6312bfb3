/** What the main thread needs to know of each data set before loading it: names and image shape. */
import type { DatasetId, ImageShape } from './dataset';

export interface DatasetInfo {
  name: string;
  description: string;
  shape: ImageShape;
}

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  mnist: { name: 'MNIST digits', description: '70,000 handwritten digits, 28×28 grey levels (LeCun et al.)', shape: { width: 28, height: 28, channels: 1 } },
  fashion: {
    name: 'Fashion-MNIST',
    description:
      '70,000 clothing images in 10 classes, 28×28 grey levels (Xiao et al. 2017); the package has no split, so ours is fixed and seeded: 60,000 training / 10,000 test, 6,000 / 1,000 per class',
    shape: { width: 28, height: 28, channels: 1 },
  },
  shapes: {
    name: 'Shapes (dSprites factors)',
    description: '45,000 binary 32×32 sprites (square, ellipse, heart) generated from known factors',
    shape: { width: 32, height: 32, channels: 1 },
  },
};
