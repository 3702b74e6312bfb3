/**
 * Contracts of the model core. Pure TypeScript + tfjs: nothing here may touch the DOM or React.
 *
 * The trainer only knows these interfaces, so a convolutional encoder, a conditional (CVAE) input
 * or a discrete latent can join later by adding an implementation, not by rewriting the trainer.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KlSchedule } from './schedules';

export type { KlSchedule } from './schedules';

export type Likelihood = 'bernoulli' | 'gaussian';

/** Everything needed to build a model; plain data so it can cross the worker boundary. */
export interface ModelConfig {
  /** Pixels per example (784 for MNIST). */
  inputDim: number;
  /** Width of the encoder's and decoder's hidden layer (400 in Kingma & Welling / pytorch/examples). */
  hiddenDim: number;
  /** Latent dimensions, 2…64. */
  latentDim: number;
  likelihood: Likelihood;
  /** Seed for weight initialisation and the reparameterisation noise. */
  seed: number;
}

/**
 * What the optimiser minimises (the three-way comparison):
 *   'vae':         reconstruction(z ~ q) + KL penalty (weighted by the schedule);
 *   'autoencoder': reconstruction(z = μ) only: a deterministic autoencoder, no sampling, no KL
 *                  term (the KL of q is still reported, for information);
 *   'kl-only':     the weighted KL penalty only, no reconstruction: every posterior collapses
 *                  onto the prior.
 */
export type ObjectiveKind = 'vae' | 'autoencoder' | 'kl-only';

/**
 * Hyper-parameters that can change between steps without rebuilding the model.
 * The last three are optional; src/core/schedules.ts (resolveTrainingConfig) fills them with
 * DEFAULT_TRAINING_EXTRAS: a constant schedule, no free bits, the plain VAE objective.
 */
export interface TrainingConfig {
  /** Weight of the KL term: loss = reconstruction NLL + β · KL (the schedule's final weight). */
  beta: number;
  learningRate: number;
  batchSize: number;
  /** How the KL weight moves with the step (default constant β). */
  klSchedule?: KlSchedule;
  /** Free bits λ in nats per latent dimension: the penalty is Σ_d max(λ, KL_d); 0 = off. */
  freeBits?: number;
  /** Which objective to minimise (default 'vae'). */
  objective?: ObjectiveKind;
}

/** A TrainingConfig with every default applied (what Trainer.config returns). */
export type ResolvedTrainingConfig = Required<TrainingConfig>;

/**
 * The objective of one step, resolved from the training config and the step: everything
 * combineTerms needs beyond the per-example terms.
 */
export interface ObjectiveSpec {
  kind: ObjectiveKind;
  /** Weight of the KL penalty: β(t) from the schedule, γ for capacity annealing, 0 for the autoencoder. */
  klWeight: number;
  /** KL target C(t) in nats (capacity annealing: penalty γ·|KL − C|), or null. */
  capacity: number | null;
  /** Free bits λ per latent dimension, nats; 0 = off. */
  freeBits: number;
}

/** The parameters of the diagonal Gaussian posterior q(z|x), one row per example. */
export type Posterior = {
  mu: tf.Tensor2D;
  logVar: tf.Tensor2D;
};

/** q(z|x): maps a batch [n, inputDim] (and an optional condition) to a posterior. */
export interface Encoder {
  encode(x: tf.Tensor2D, condition?: tf.Tensor2D): Posterior;
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** p(x|z): maps latents [n, latentDim] to the likelihood's natural parameter (logits or means). */
export interface Decoder {
  decode(z: tf.Tensor2D, condition?: tf.Tensor2D): tf.Tensor2D;
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** The loss terms of one batch, each a scalar in nats per example (mean over the batch). */
export type LossTerms<T> = {
  /** −E_q[log p(x|z)], summed over pixels, averaged over the batch (at z = μ for the autoencoder). */
  reconstruction: T;
  /** KL(q(z|x) ‖ N(0, I)), summed over latent dimensions, averaged over the batch. */
  kl: T;
  /** KL per latent dimension, averaged over the batch (length latentDim). */
  klPerDim: T;
  /** reconstruction + KL: the negative ELBO (β = 1), whatever β the optimiser uses. */
  negativeElbo: T;
  /**
   * What the optimiser minimises: reconstruction + w·K for the VAE (K = KL, or Σ_d max(λ, KL_d)
   * with free bits; w·|K − C| under capacity annealing), reconstruction only for the
   * autoencoder, w·K (or w·|K − C|) only for 'kl-only'.
   */
  objective: T;
};

/** Numbers read back from a step or an evaluation. */
export interface LossValues {
  reconstruction: number;
  kl: number;
  klPerDim: number[];
  negativeElbo: number;
  objective: number;
}

/** A seeded source of uniform numbers in [0, 1); src/data/rng.ts provides one. */
export interface Rng {
  next(): number;
}
