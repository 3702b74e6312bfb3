/**
 * The VAE family: an encoder network with a μ / log σ² head, the reparameterised sample, a
 * decoder and a pixel likelihood; the KL against N(0, I) in closed form. One weight group
 * updated by one optimiser, one phase per step. The objective kinds of the catalog (VAE, plain
 * autoencoder, KL-only), the KL schedules, free bits and InfoVAE's MMD all act through the
 * ObjectiveSpec.
 *
 * The decoder is the network's own (every pixel independent given z) or, with the option
 * decoder = 'made', the autoregressive MADE (nets/made.ts), which sees the image itself as its
 * context in training (teacher forcing) and draws pixel after pixel when decoding.
 */
import * as tf from '../tf';
import { FAMILIES } from './catalog';
import { inputSize, type ModelConfig } from './config';
import type { Batch, BatchLosses, FamilyModel, GaussianLatent, LossOptions, NoiseSource, SequentialDecoding, StepPhase, WeightGroup } from './family';
import { reparameterize, splitPosterior } from './gaussianLatent';
import { NETS } from './nets';
import { MadeDecoder } from './nets/made';
import { MadeArraySampler } from './nets/madeSampler';
import type { DecoderNet, EncoderNet } from './nets/net';
import { VariableScope, type NamedVariable } from '../layers/scope';
import { LEARNED_SCALE_LIKELIHOODS } from '../objective/catalog';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { klPerExampleAndDim } from '../objective/kl';
import { meanFromLogits, reconstructionNllPerExample } from '../objective/likelihoods';
import { maximumMeanDiscrepancy } from '../objective/mmd';
import { binarise, uniformFromNormal } from '../objective/pixelNoise';
import { STANDARD_NORMAL_PRIOR } from '../objective/priors';
import type { Rng } from '../types';

export const MODEL_GROUP = 'model';

/** The learned scale's starting value: σ = 0.1, the fixed Gaussian's (the logistic's s likewise). */
const INITIAL_LOG_SCALE = Math.log(0.1);

/** Seed of the noise a plain decode() draws its pixels with (the same z decodes alike every time). */
const DECODE_SEED = 4242;

export class GaussianVae implements FamilyModel {
  readonly terms = FAMILIES.vae.terms;
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: GaussianLatent;
  private readonly scope = new VariableScope('vae');
  private readonly encoder: EncoderNet;
  private readonly decoder: DecoderNet | null = null;
  private readonly made: MadeDecoder | null = null;
  private readonly logScale: tf.Variable | null = null;

  constructor(readonly config: ModelConfig, rng: Rng) {
    const net = NETS[config.network];
    const shape = {
      imageShape: config.imageShape,
      inputSize: inputSize(config),
      conditionSize: 0,
      outputSize: 2 * config.latentDim,
      latentSize: config.latentDim,
      hiddenDim: config.hiddenDim,
    };
    // the encoder draws its initial weights first, then the decoder (the reference's order)
    this.encoder = net.encoder(shape, rng, this.scope);
    if (config.options.decoder === 'made') this.made = new MadeDecoder(shape, rng, this.scope);
    else this.decoder = net.decoder(shape, rng, this.scope);
    if (LEARNED_SCALE_LIKELIHOODS.includes(config.likelihood)) {
      const initial = tf.scalar(INITIAL_LOG_SCALE);
      this.logScale = this.scope.variable('decoder/logScale', initial);
      initial.dispose();
    }
    this.groups = [{ id: MODEL_GROUP, label: 'encoder and decoder', variables: this.scope.named.map((n) => n.variable) }];
    const latent: GaussianLatent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      encode: (x) => tf.tidy(() => splitPosterior(this.encoder.call(x, null))),
      decode: (z) => tf.tidy(() => (this.made ? this.decodeSequentially(z) : meanFromLogits(this.factorisedLogits(z)))),
      logLikelihood: (x, z) => tf.tidy(() => tf.neg(reconstructionNllPerExample(config.likelihood, this.logits(z, x), x, this.logScale)) as tf.Tensor1D),
      prior: STANDARD_NORMAL_PRIOR,
      learnedScale: () => (this.logScale ? (tf.tidy(() => tf.exp(this.logScale as tf.Variable)) as tf.Scalar) : null),
    };
    if (this.made) latent.startDecoding = (z, _labels, seed) => this.sequentialDecoding(z, seed);
    this.latent = latent;
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /** Whether the decoder is autoregressive. */
  get autoregressive(): boolean {
    return this.made !== null;
  }

  /**
   * encode → sample (z = μ for the autoencoder) → decode → reconstruction NLL and closed-form KL
   * (and InfoVAE's MMD against prior samples when the spec asks for it). ε is drawn for every
   * objective first, so the noise stream does not depend on the objective; what the new options
   * draw (binarisation, context dropout, prior samples) comes after it, only when they are on.
   */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const n = batch.x.shape[0];
      const epsilon = noise([n, this.config.latentDim]);
      const x = this.config.likelihood === 'binarised' ? binarise(batch.x, uniformFromNormal(noise([n, batch.x.shape[1]]))) : batch.x;
      const posterior = splitPosterior(this.encoder.call(x, null));
      const z = spec.kind === 'autoencoder' ? posterior.mu : reparameterize(posterior, epsilon);
      const logits = this.logits(z, this.context(x, spec.contextDropout ?? 0, noise));
      const reconstruction = reconstructionNllPerExample(this.config.likelihood, logits, x, this.logScale);
      const klPerExampleDim = klPerExampleAndDim(posterior);
      const mmd = spec.mmdWeight !== undefined && spec.kind === 'vae' ? maximumMeanDiscrepancy(z, noise([n, this.config.latentDim])) : null;
      const t = combineTerms(reconstruction, klPerExampleDim, spec, mmd);
      const losses: BatchLosses = {
        means: { reconstruction: t.reconstruction as tf.Scalar, kl: t.kl as tf.Scalar },
        klPerDim: t.klPerDim as tf.Tensor1D,
        negativeElbo: t.negativeElbo as tf.Scalar,
        objective: t.objective as tf.Scalar,
      };
      if (options.perExample) losses.perExample = { reconstruction, kl: tf.sum(klPerExampleDim, 1) as tf.Tensor1D };
      return losses;
    });
  }

  dispose(): void {
    this.made?.dispose();
    this.scope.dispose();
  }

  private factorisedLogits(z: tf.Tensor2D): tf.Tensor2D {
    return (this.decoder as DecoderNet).call(z, null);
  }

  /** The likelihood's logits of images x given z: teacher-forced for the autoregressive decoder. */
  private logits(z: tf.Tensor2D, context: tf.Tensor2D): tf.Tensor2D {
    return this.made ? this.made.call(z, null, context) : this.factorisedLogits(z);
  }

  /**
   * The autoregressive decoder's context: the image, or in training with context dropout p each
   * pixel zeroed with probability p and the rest scaled by 1/(1 − p) (inverted dropout, so the
   * context's expectation is the image). The factorised decoder has none: nothing is drawn.
   */
  private context(x: tf.Tensor2D, dropout: number, noise: NoiseSource): tf.Tensor2D {
    if (!this.made || dropout <= 0) return x;
    const keep = tf.cast(tf.greaterEqual(uniformFromNormal(noise([x.shape[0], x.shape[1]])), dropout), 'float32');
    return tf.mul(x, tf.mul(keep, 1 / (1 - dropout))) as tf.Tensor2D;
  }

  private sequentialDecoding(z: tf.Tensor2D, seed: number): SequentialDecoding {
    const made = this.made as MadeDecoder;
    const n = z.shape[0];
    const scale = this.logScale ? Math.exp((this.logScale.dataSync() as Float32Array)[0]) : null;
    const sampler = new MadeArraySampler(made.weights(), z.dataSync() as Float32Array, n, this.config.likelihood, scale, seed);
    const shape: [number, number] = [n, made.pixels];
    return {
      total: sampler.total,
      advance: (count) => sampler.advance(count),
      means: () => tf.tidy(() => tf.sigmoid(tf.tensor2d(sampler.logitValues, shape)) as tf.Tensor2D),
      samples: () => tf.tensor2d(sampler.pixelValues, shape),
      logits: () => tf.tensor2d(sampler.logitValues, shape),
      dispose: () => undefined,
    };
  }

  /** The conditional means along one drawn path, all pixels at once (a fixed seed: alike every time). */
  private decodeSequentially(z: tf.Tensor2D): tf.Tensor2D {
    const decoding = this.sequentialDecoding(z, DECODE_SEED);
    try {
      decoding.advance(decoding.total);
      return decoding.means();
    } finally {
      decoding.dispose();
    }
  }
}
