/**
 * The Gaussian latent's pieces that every family with one shares: the split of an encoder's
 * output into μ and log σ², the reparameterisation trick, the one-hot condition of the
 * conditional families, and the encoder–decoder pair with its pixel likelihood (the VAE, the
 * conditional VAE and M2 are all built on it).
 */
import * as tf from '../tf';
import type { VariableScope } from '../layers/scope';
import { meanFromLogits, reconstructionNllPerExample } from '../objective/likelihoods';
import type { Posterior, Rng } from '../types';
import { inputSize, type ModelConfig } from './config';
import { NETS } from './nets';
import type { DecoderNet, EncoderNet, NetShape } from './nets/net';

/** [n, 2d] → μ = the first d columns, log σ² = the last d. */
export function splitPosterior(both: tf.Tensor2D): Posterior {
  const [mu, logVar] = tf.split(both, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, logVar };
}

/**
 * Reparameterisation trick: z = μ + σ ⊙ ε with ε ~ N(0, I) drawn outside the graph, so the
 * sample is a differentiable function of μ and log σ² (∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε).
 */
export function reparameterize(posterior: Posterior, epsilon: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(posterior.mu, tf.mul(tf.exp(tf.mul(posterior.logVar, 0.5)), epsilon)));
}

/** Class indices [n] (int32) → one-hot rows [n, classes] (float32), the networks' condition. */
export function oneHotCondition(labels: tf.Tensor1D, classCount: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classCount), 'float32') as tf.Tensor2D);
}

/** What one encode → sample → decode pass gives. */
export interface GaussianPass {
  posterior: Posterior;
  z: tf.Tensor2D;
  /** −log p(x|z[, y]) per example [n], summed over pixels. */
  reconstruction: tf.Tensor1D;
}

/**
 * An encoder with a μ / log σ² head and a decoder with the config's pixel likelihood, either
 * optionally conditioned on a one-hot class (conditionSize > 0). Variables go into the caller's
 * scope under encoder/… and decoder/…; the encoder draws its initial weights first, then the
 * decoder (the reference's order).
 */
export class GaussianAutoencoder {
  readonly encoder: EncoderNet;
  readonly decoder: DecoderNet;

  constructor(
    readonly config: ModelConfig,
    rng: Rng,
    scope: VariableScope,
    readonly conditionSize = 0,
    inputGradient = false,
  ) {
    const net = NETS[config.network];
    const shape: NetShape = {
      imageShape: config.imageShape,
      inputSize: inputSize(config),
      conditionSize,
      outputSize: 2 * config.latentDim,
      latentSize: config.latentDim,
      hiddenDim: config.hiddenDim,
      inputGradient,
    };
    this.encoder = net.encoder(shape, rng, scope);
    this.decoder = net.decoder(shape, rng, scope);
  }

  posterior(x: tf.Tensor2D, condition: tf.Tensor2D | null): Posterior {
    return tf.tidy(() => splitPosterior(this.encoder.call(x, condition)));
  }

  /** The decoder's mean images [n, pixels] in [0, 1]. */
  decodeMean(z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => meanFromLogits(this.decoder.call(z, condition)));
  }

  /** log p(x|z[, y]) per example [n], summed over pixels: the likelihood at a given z. */
  logLikelihood(x: tf.Tensor2D, z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor1D {
    return tf.tidy(() => tf.neg(reconstructionNllPerExample(this.config.likelihood, this.decoder.call(z, condition), x)) as tf.Tensor1D);
  }

  /** encode → z = μ + σ ε (z = μ when `atMean`) → decode → reconstruction NLL per example. */
  pass(x: tf.Tensor2D, condition: tf.Tensor2D | null, epsilon: tf.Tensor2D, atMean = false): GaussianPass {
    return tf.tidy(() => {
      const posterior = this.posterior(x, condition);
      const z = atMean ? posterior.mu : reparameterize(posterior, epsilon);
      const reconstruction = reconstructionNllPerExample(this.config.likelihood, this.decoder.call(z, condition), x);
      return { posterior, z, reconstruction };
    });
  }
}
