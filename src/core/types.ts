/**
 * Small contracts shared across the model core. Pure types: nothing here may touch the DOM,
 * React or a tensor's values.
 */
import type * as tf from './tf';

/** The parameters of the diagonal Gaussian posterior q(z|x), one row per example. */
export type Posterior = {
  mu: tf.Tensor2D;
  logVar: tf.Tensor2D;
};

/** A seeded source of uniform numbers in [0, 1); src/data/rng.ts provides one. */
export interface Rng {
  next(): number;
}

/**
 * A seeded source whose position can be saved and restored as plain numbers (src/data/rng.ts):
 * a saved model keeps the trainer's noise stream, so training after a load draws the same ε.
 */
export interface RestorableRng extends Rng {
  saveState(): readonly number[];
  restoreState(state: readonly number[]): void;
}

export function isRestorableRng(rng: Rng): rng is RestorableRng {
  const r = rng as Partial<RestorableRng>;
  return typeof r.saveState === 'function' && typeof r.restoreState === 'function';
}
