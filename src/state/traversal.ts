/** Decodings as each latent dimension sweeps a range with the others held at a base point. */
export interface Traversal {
  /** Row-major [dims.length × values.length, pixels], values in [0, 1]. */
  images: Float32Array;
  /** The dimension of each row, ordered by KL (largest first). */
  dims: number[];
  /** The swept values of the row's dimension, e.g. −3…3. */
  values: number[];
  base: number[];
  step: number;
}
