/**
 * What a built model offers the trainer, whatever its family: its weight groups and how a step
 * updates them, its losses on a batch (per example and as batch means, by declared term id), its
 * latent (encode and decode), and its variables by stable path. The trainer, the checkpoints and
 * the weight files work from this interface only.
 */
import type * as tf from '../tf';
import type { ObjectiveSpec } from '../objective/gaussianObjective';
import type { LossTermSpec } from '../objective/terms';
import type { NamedVariable } from '../layers/scope';
import type { LatentPrior } from '../objective/priors';
import type { Posterior } from '../types';
import type { FamilyOptions, ModelConfig } from './config';

/** One batch of training or test data (a type, so tf.tidy may return it). */
export type Batch = {
  /** [n, pixels] intensities in [0, 1]. */
  x: tf.Tensor2D;
  /** [n] class indices (int32), for families that use labels; null otherwise (or: no label known). */
  labels: tf.Tensor1D | null;
  /**
   * Semi-supervised batches: the first `unlabelledCount` rows have no label (their entries in
   * `labels` are ignored), the rest are labelled. Absent: every row with labels is labelled.
   */
  unlabelledCount?: number;
};

/** Standard-normal noise of a shape, drawn from the trainer's seeded stream. */
export type NoiseSource = (shape: [number, number]) => tf.Tensor2D;

/**
 * A batch's losses; tensors the caller owns (losses are called inside a tidy). A type, not an
 * interface, so that tf.tidy can return it (it needs an index signature).
 */
export type BatchLosses = {
  /** Batch mean of each declared term, by term id (scalars). */
  means: Record<string, tf.Scalar>;
  /** Per-example values [n] of each declared term, when asked for (scoring, not training). */
  perExample?: Record<string, tf.Tensor1D>;
  /** Batch-mean KL per latent dimension [latentDim] (Gaussian latents). */
  klPerDim?: tf.Tensor1D;
  /** The fraction of the batch's positions that chose each code [codebookSize] (discrete latents). */
  codeUsage?: tf.Tensor1D;
  /** The sum of the terms that are part of the ELBO. */
  negativeElbo: tf.Scalar;
  /** What the weight group being stepped minimises. */
  objective: tf.Scalar;
};

/** Variables updated together by one optimiser. */
export interface WeightGroup {
  id: string;
  label: string;
  variables: tf.Variable[];
}

/**
 * One update of one weight group within a training step; a step runs its phases in order, each on
 * the step's batch with noise of its own (a GAN's k_D discriminator updates are k_D phases).
 */
export interface StepPhase {
  group: string;
  /**
   * Whether to apply the update, from the batch means of the declared terms this phase's losses
   * gave (read back before the update: one small read). Absent: always. Larsen's balancing skips
   * a player whose loss says it is too far ahead.
   */
  gate?(terms: Readonly<Record<string, number>>): boolean;
}

/** What the trainer tells a family before a step, so that the family can plan its phases. */
export interface StepRequest {
  /** Steps already taken. */
  step: number;
  /** Step only these weight groups (a single player's step from the page), or null for a full step. */
  groups: readonly string[] | null;
  /** The family's live settings (k_D, a balancing margin, …). */
  options: FamilyOptions;
}

/** A discriminator's view of images: the probability D(x) that each is a real one. */
export interface Critic {
  /** D(x) in (0, 1) for images [n, pixels] in [0, 1], shape [n]. */
  realProbability(x: tf.Tensor2D): tf.Tensor1D;
}

/** A continuous latent: q(z|x) = N(μ, diag σ²), decoded from any z. */
export interface GaussianLatent {
  kind: 'gaussian';
  latentDim: number;
  /** Posterior of images [n, pixels]. */
  encode(x: tf.Tensor2D, labels: tf.Tensor1D | null): Posterior;
  /** The decoder's mean images [n, pixels] in [0, 1] for latents [n, latentDim]. */
  decode(z: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor2D;
  /** log p(x|z) of each row: images x [n, pixels] under the decoder's likelihood at z [n, latentDim], shape [n]. */
  logLikelihood(x: tf.Tensor2D, z: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor1D;
  /**
   * The prior p(z) (objective/priors): its log-density serves the KL term and the IWAE bound, a
   * mixture's components the page.
   */
  prior: LatentPrior;
  /**
   * The path prefixes of the variables `decode` reads (default `decoder/`): the weights a copy of
   * the decoder needs (the page's decode worker).
   */
  decoderPrefixes?: readonly string[];
  /**
   * Autoregressive decoders only: decoding is sequential over the pixels. A decoding of z that
   * the caller advances in slices (progress, messages between them); `decode` runs one to the end.
   */
  startDecoding?(z: tf.Tensor2D, labels: tf.Tensor1D | null, seed: number): SequentialDecoding;
  /** The likelihood's learned noise scale (σ, or the logistic's s), when it has one. */
  learnedScale?(): tf.Scalar | null;
}

/** A decoding pixel by pixel; owns its tensors until dispose(). */
export interface SequentialDecoding {
  readonly total: number;
  /** Draw the next `count` pixels; returns the pixels done so far. */
  advance(count: number): number;
  /** The decoder's conditional means along the drawn path [n, pixels] in [0, 1] (the caller owns it). */
  means(): tf.Tensor2D;
  /** The drawn pixels [n, pixels] (the caller owns it). */
  samples(): tf.Tensor2D;
  /** The logits each pixel was drawn from [n, pixels] (the caller owns it). */
  logits(): tf.Tensor2D;
  dispose(): void;
}

/**
 * A discrete latent (VQ-VAE): a grid of positions, each holding one of K codes of a codebook. The
 * encoder's output at a position is replaced by its nearest code; the decoder sees only codes.
 */
export interface DiscreteLatent {
  kind: 'discrete';
  /** K, the number of codes. */
  codebookSize: number;
  /** D, each code's dimensions. */
  codeDim: number;
  /** The code grid's [height, width] (7×7 on MNIST, 8×8 on Shapes). */
  grid: readonly [number, number];
  /** The nearest code at each position of images [n, pixels]: int32 [n, positions], row-major. */
  encode(x: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor2D;
  /** The decoder's mean images [n, pixels] in [0, 1] for code grids int32 [n, positions]. */
  decode(codes: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor2D;
  /** A copy of the codebook [K, D]. */
  codebook(): tf.Tensor2D;
  /** The likelihood's learned noise scale (σ, or the logistic's s), when it has one. */
  learnedScale?(): tf.Scalar | null;
}

/** The latents a family can have: Gaussian (μ, log σ²) or discrete (codes of a codebook). */
export type LatentApi = GaussianLatent | DiscreteLatent;

export interface LossOptions {
  /** Also return per-example values (costs a few reductions; training does not need them). */
  perExample?: boolean;
  /** The losses of a training step: the family may keep what its afterStep needs (freed there). */
  training?: boolean;
}

export interface FamilyModel {
  readonly config: ModelConfig;
  readonly terms: readonly LossTermSpec[];
  readonly groups: readonly WeightGroup[];
  /** The phases of one training step at the default settings (one for a VAE; discriminator, then generator, for a GAN). */
  readonly phases: readonly StepPhase[];
  /** The phases of the next step (the live settings may change them); without it, `phases`. */
  planStep?(request: StepRequest): readonly StepPhase[];
  /** The adversarial families' discriminator, for the page's histograms of D(x). */
  readonly critic?: Critic;
  readonly latent: LatentApi;
  /** Every variable with its stable path (`encoder/hidden/weight`), in a fixed order. */
  readonly named: readonly NamedVariable[];
  /** A classifier q(y|x) (the semi-supervised families): class probabilities [n, classes] of images. */
  readonly classifier?: { classify(x: tf.Tensor2D): tf.Tensor2D };
  /** The losses of a batch for the objective of a step, as minimised by weight group `group`. */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, group: string, options?: LossOptions): BatchLosses;
  /** Work outside the gradient before a training step (VQ-VAE: the codebook's start from the first batch). */
  beforeStep?(batch: Batch, spec: ObjectiveSpec): void;
  /**
   * Work outside the gradient after a training step's phases, from what its losses kept (VQ-VAE:
   * EMA codebook updates, dead-code restarts).
   */
  afterStep?(spec: ObjectiveSpec): void;
  /** The weights were loaded by name: a data-dependent start must not overwrite them. */
  weightsLoaded?(): void;
  dispose(): void;
}

/**
 * The phases of the next step: the family's plan, or its fixed phases; a single player's step
 * keeps only the phases of the groups asked for.
 */
export function planStep(model: Pick<FamilyModel, 'phases' | 'planStep'>, request: StepRequest): readonly StepPhase[] {
  const planned = model.planStep ? model.planStep(request) : model.phases;
  const groups = request.groups;
  return groups ? planned.filter((p) => groups.includes(p.group)) : planned;
}

/** All trainable variables of a model, in the order of `named`. */
export function modelVariables(model: Pick<FamilyModel, 'named'>): tf.Variable[] {
  return model.named.map((n) => n.variable);
}

export function parameterCount(model: Pick<FamilyModel, 'named'>): number {
  return model.named.reduce((n, v) => n + v.variable.size, 0);
}

/** The latent of a model that must be Gaussian (the scatter, the probe, the IWAE bound), or a clear error. */
export function gaussianLatentOf(model: Pick<FamilyModel, 'latent'>, what: string): GaussianLatent {
  if (model.latent.kind !== 'gaussian') throw new Error(`${what} needs a Gaussian latent; this model's latent is a grid of codes`);
  return model.latent;
}

/** The latent of a model that must be discrete (code grids, the codebook), or a clear error. */
export function discreteLatentOf(model: Pick<FamilyModel, 'latent'>, what: string): DiscreteLatent {
  if (model.latent.kind !== 'discrete') throw new Error(`${what} needs a discrete latent (codes of a codebook)`);
  return model.latent;
}
