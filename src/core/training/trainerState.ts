/**
 * A trainer's whole state at one step, for a saved model: the weights by path, every optimiser's
 * step and moments (by the path of the weight they belong to), the trainer's step and where its
 * noise stream is. Two forms: a snapshot of tensors taken in one synchronous go (so a training
 * step cannot slip in between the weights and the moments), and plain arrays read from a file;
 * and why a file's state does not fit a model (trainerStateProblem).
 */
import type * as tf from '../tf';
import { weightsProblem, type NamedWeight } from '../io/weights';
import type { FamilyModel } from '../models/family';

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

/** Why `state` cannot be loaded into a trainer of `model` (its weights and weight groups), or null; `restorableNoise`: its generator can take a saved noise stream. */
export function trainerStateProblem(model: FamilyModel, restorableNoise: boolean, state: TrainerState): string | null {
  const weights = weightsProblem(model.named, state.weights);
  if (weights) return weights;
  const pathOf = new Map(model.named.map((n) => [n.variable, n.path]));
  for (const group of model.groups) {
    const saved = state.optimizers.find((o) => o.group === group.id);
    if (!saved) return `there is no optimiser state for the weight group “${group.label}”`;
    if (!Number.isInteger(saved.step) || saved.step < 0) return `the optimiser of “${group.label}” has step ${saved.step}`;
    const named = group.variables.map((variable) => ({ path: pathOf.get(variable) as string, variable }));
    const moments = weightsProblem(named, saved.firstMoments) ?? weightsProblem(named, saved.secondMoments);
    if (moments) return `Adam's moments of “${group.label}” do not fit: ${moments}`;
    if (saved.secondMoments.some((m) => m.values.some((v) => v < 0))) return `Adam's second moments of “${group.label}” hold negative values`;
  }
  const unknown = state.optimizers.find((o) => !model.groups.some((g) => g.id === o.group));
  if (unknown) return `the optimiser state names a weight group “${unknown.group}” this model does not have`;
  if (!Number.isInteger(state.step) || state.step < 0) return `the step ${state.step} is not a step count`;
  if (state.noise !== null && !restorableNoise) return 'this trainer cannot take a saved noise stream';
  return null;
}
