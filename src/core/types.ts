/**
 * Contracts of the model core. Pure TypeScript + tfjs: nothing here may touch the DOM or React.
 *
 * The trainer only knows these interfaces, so a convolutional encoder, a conditional (CVAE) input
 * or a discrete latent can join later by adding an implementation, not by rewriting the trainer.
 */
import type * as tf from '@tensorflow/tfjs';

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

/** Hyper-parameters that can change between steps without rebuilding the model. */
export interface TrainingConfig {
  /** Weight of the KL term: loss = reconstruction NLL + β · KL. */
  beta: number;
  learningRate: number;
  batchSize: number;
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
  /** −E_q[log p(x|z)], summed over pixels, averaged over the batch. */
  reconstruction: T;
  /** KL(q(z|x) ‖ N(0, I)), summed over latent dimensions, averaged over the batch. */
  kl: T;
  /** KL per latent dimension, averaged over the batch (length latentDim). */
  klPerDim: T;
  /** reconstruction + KL: the negative ELBO (β = 1), whatever β the optimiser uses. */
  negativeElbo: T;
  /** What the optimiser minimises: reconstruction + β·KL. */
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
