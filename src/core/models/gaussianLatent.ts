/**
 * The Gaussian latent's pieces that every family with one shares: the split of an encoder's
 * output into μ and log σ², the reparameterisation trick, the one-hot condition of the
 * conditional families, and the encoder–decoder pair with its pixel likelihood (the VAE, the
 * conditional VAE and M2 are all built on it). The decoder is the network's own (every pixel
 * independent given z) or the autoregressive MADE (nets/made.ts), which sees the image itself
 * as its context; a likelihood with a learned scale adds its one log-scale variable.
 */
import * as tf from '../tf';
import type { VariableScope } from '../layers/scope';
import { LEARNED_SCALE_LIKELIHOODS } from '../objective/catalog';
import { meanFromLogits, reconstructionNllPerExample } from '../objective/likelihoods';
import type { Posterior, Rng } from '../types';
import { networkOptionsOf } from './catalog';
import type { ModelConfig } from './config';
import { NETS } from './nets';
import { MadeDecoder } from './nets/made';
import type { DecoderNet, EncoderNet, NetShape } from './nets/net';

/** [n, 2d] → μ = the first d columns, log σ² = the last d. */
export function splitPosterior(both: tf.Tensor2D): Posterior {
  const [mu, logVar] = tf.split(both, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, logVar };
}

/**
 * Reparameterisation trick: z = μ + σ ⊙ ε with ε ~ N(0, I) drawn outside the graph, so the
 * sample is a differentiable function of μ and log σ² (∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε). On the page: FORMULAS.reparameterisation, .dzdmu and
 * .dzdlogvar (core/explain/formulas.ts).
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

/** The learned scale's starting value: σ = 0.1, the fixed Gaussian's (the logistic's s likewise). */
export const INITIAL_LOG_SCALE = Math.log(0.1);

/**
 * An encoder with a μ / log σ² head and a decoder with the config's pixel likelihood, either
 * optionally conditioned on a one-hot class (conditionSize > 0). Variables go into the caller's
 * scope under encoder/… and decoder/…; the encoder draws its initial weights first, then the
 * decoder (the reference's order). With `autoregressive` the decoder is the MADE, whose logits
 * depend on a context image too (teacher forcing: the image itself, or a dropped-out copy).
 */
export class GaussianAutoencoder {
  readonly encoder: EncoderNet;
  /** The factorised decoder (null when the decoder is the MADE). */
  readonly decoder: DecoderNet | null = null;
  /** The autoregressive decoder (null when the decoder is factorised). */
  readonly made: MadeDecoder | null = null;
  /** log σ (or the logistic's log s) of a learned-scale likelihood, else null. */
  readonly logScale: tf.Variable | null = null;

  constructor(
    readonly config: ModelConfig,
    rng: Rng,
    scope: VariableScope,
    readonly conditionSize = 0,
    inputGradient = false,
    autoregressive = false,
  ) {
    const net = NETS[config.network];
    const networkOptions = networkOptionsOf(config.network, config.networkOptions);
    const shape: NetShape = {
      imageShape: config.imageShape,
      conditionSize,
      outputSize: 2 * config.latentDim,
      latentSize: config.latentDim,
      hiddenDim: config.hiddenDim,
      inputGradient,
    };
    this.encoder = net.encoder(shape, rng, scope, networkOptions);
    if (autoregressive) this.made = new MadeDecoder(shape, rng, scope);
    else this.decoder = net.decoder(shape, rng, scope, networkOptions);
    if (LEARNED_SCALE_LIKELIHOODS.includes(config.likelihood)) {
      const initial = tf.scalar(INITIAL_LOG_SCALE);
      this.logScale = scope.variable('decoder/logScale', initial);
      initial.dispose();
    }
  }

  /**
   * The likelihood's logits of images given z: the factorised decoder's, or the MADE's
   * teacher-forced on `context` (the image, or its dropped-out copy in training).
   */
  logits(z: tf.Tensor2D, condition: tf.Tensor2D | null, context: tf.Tensor2D): tf.Tensor2D {
    return this.made ? this.made.call(z, condition, context) : (this.decoder as DecoderNet).call(z, condition);
  }

  posterior(x: tf.Tensor2D, condition: tf.Tensor2D | null): Posterior {
    return tf.tidy(() => splitPosterior(this.encoder.call(x, condition)));
  }

  /** The factorised decoder's mean images [n, pixels] in [0, 1] (the MADE decodes sequentially: gaussianVae.ts). */
  decodeMean(z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    if (!this.decoder) throw new Error('the autoregressive decoder has no mean image in one pass: decode it pixel by pixel');
    return tf.tidy(() => meanFromLogits((this.decoder as DecoderNet).call(z, condition)));
  }

  /** log p(x|z[, y]) per example [n], summed over pixels: the likelihood at a given z. */
  logLikelihood(x: tf.Tensor2D, z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor1D {
    return tf.tidy(() => tf.neg(reconstructionNllPerExample(this.config.likelihood, this.logits(z, condition, x), x, this.logScale)) as tf.Tensor1D);
  }

  /**
   * encode → z = μ + σ ε (z = μ when `atMean`) → decode → reconstruction NLL per example.
   * `context`: the MADE's context image (default x itself; the factorised decoder ignores it).
   */
  pass(x: tf.Tensor2D, condition: tf.Tensor2D | null, epsilon: tf.Tensor2D, atMean = false, context: tf.Tensor2D = x): GaussianPass {
    return tf.tidy(() => {
      const posterior = this.posterior(x, condition);
      const z = atMean ? posterior.mu : reparameterize(posterior, epsilon);
      const reconstruction = reconstructionNllPerExample(this.config.likelihood, this.logits(z, condition, context), x, this.logScale);
      return { posterior, z, reconstruction };
    });
  }

  dispose(): void {
    this.made?.dispose();
  }
}
