/**
 * A data set as the rest of the app sees it: images as intensities in [0, 1], their shape, class
 * labels and, where the data set was generated from known factors (Shapes), those factors.
 * MNIST and Fashion-MNIST (IDX files), Shapes (generated) and your own images (prepared in the
 * page, own/ownDataset.ts) are the implementations; more can join behind the same interface.
 */
export interface ImageShape {
  width: number;
  height: number;
  channels: number;
}

export interface GroundTruthFactors {
  /** Factor names, e.g. ['shape', 'scale', 'orientation', 'x', 'y']. */
  names: string[];
  /** Number of distinct values of each factor. */
  sizes: number[];
  /** Row-major [count, names.length] factor indices. */
  values: Uint16Array;
}

export interface ImageSplit {
  /** Row-major [count, width·height·channels] intensities in [0, 1]. */
  images: Float32Array;
  /** One class index per image. */
  labels: Uint8Array;
  count: number;
  factors?: GroundTruthFactors;
}

export interface Dataset {
  id: DatasetId;
  name: string;
  shape: ImageShape;
  classNames: string[];
  train: ImageSplit;
  test: ImageSplit;
}

export type DatasetId = 'mnist' | 'fashion' | 'shapes' | 'own';

/** Pixels per image. */
export function pixelCount(shape: ImageShape): number {
  return shape.width * shape.height * shape.channels;
}
