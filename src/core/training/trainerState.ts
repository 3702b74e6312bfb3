/**
 * A trainer's whole state at one step, for a saved model: the weights by path, every optimiser's
 * step and moments (by the path of the weight they belong to), the trainer's step and where its
 * noise stream is. Two forms: a snapshot of tensors taken in one synchronous go (so a training
 * step cannot slip in between the weights and the moments), and plain arrays read from a file.
 */
import type * as tf from '../tf';
import type { NamedWeight } from '../io/weights';

export interface NamedTensor {
  path: string;
  tensor: tf.Tensor;
}

export interface OptimizerSnapshot {
  group: string;
  /** Adam's own step (its bias corrections). */
  step: number;
  firstMoments: NamedTensor[];
  secondMoments: NamedTensor[];
}

/** Copies the caller owns (disposeTrainerSnapshot). */
export interface TrainerSnapshot {
  step: number;
  weights: NamedTensor[];
  optimizers: OptimizerSnapshot[];
  /** The noise stream's position, or null when the trainer's generator cannot say. */
  noise: readonly number[] | null;
}

export interface OptimizerState {
  group: string;
  step: number;
  firstMoments: NamedWeight[];
  secondMoments: NamedWeight[];
}

/** The same state as plain arrays (what a model file holds). */
export interface TrainerState {
  step: number;
  weights: NamedWeight[];
  optimizers: OptimizerState[];
  noise: readonly number[] | null;
}

export function disposeTrainerSnapshot(snapshot: TrainerSnapshot): void {
  for (const { tensor } of snapshot.weights) tensor.dispose();
  for (const o of snapshot.optimizers) for (const { tensor } of [...o.firstMoments, ...o.secondMoments]) tensor.dispose();
}
