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

/**
 * Pixel order, everywhere (data sets, the networks' inputs and the decoders' outputs, the
 * page's images): an image is height rows of width pixels of `channels` values, row-major
 * (h, w, c): the value of channel c at row y, column x is at (y·width + x)·channels + c. The
 * conv networks reshape [n, pixels] to tfjs's NHWC [n, h, w, c] and back without a transpose.
 */
export interface ImageSplit {
  /** Row-major [count, height·width·channels] intensities in [0, 1], each image (h, w, c). */
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
