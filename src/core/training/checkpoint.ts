/**
 * A copy of a model's weights and of every optimiser's state at one step: the last good state a
 * diverged run goes back to. The checkpoint owns its copies until disposed.
 */
import type * as tf from '../tf';
import { disposeAdamState, type Adam, type AdamState } from '../optim/adam';

export interface Checkpoint {
  weights: tf.Tensor[];
  optimizers: Map<string, AdamState>;
  /** The trainer's step (not Adam's: imported weights start a fresh Adam at a later step). */
  step: number;
}

export function takeCheckpoint(variables: readonly tf.Variable[], optimizers: ReadonlyMap<string, Adam>, step: number): Checkpoint {
  return {
    weights: variables.map((v) => v.clone()),
    optimizers: new Map([...optimizers].map(([group, adam]) => [group, adam.snapshot()])),
    step,
  };
}

export function restoreCheckpoint(checkpoint: Checkpoint, variables: readonly tf.Variable[], optimizers: ReadonlyMap<string, Adam>): void {
  variables.forEach((v, i) => v.assign(checkpoint.weights[i]));
  for (const [group, adam] of optimizers) {
    const state = checkpoint.optimizers.get(group);
    if (state) adam.restore(state);
  }
}

export function disposeCheckpoint(checkpoint: Checkpoint): void {
  for (const t of checkpoint.weights) t.dispose();
  for (const state of checkpoint.optimizers.values()) disposeAdamState(state);
}
