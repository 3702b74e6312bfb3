/**
 * The VAE family and its conditional sibling: an encoder with a μ / log σ² head, the
 * reparameterised sample, a decoder and a pixel likelihood, against a prior p(z) (objective/priors:
 * the standard normal with its closed-form KL, or a learned mixture with the one-sample KL
 * estimate). The conditional VAE joins the one-hot class y to the encoder's input and to z, so
 * its loss is a bound on log p(x|y). One weight group (the prior's variables included) updated by
 * one optimiser, one phase per step. The objective kinds of the catalog (VAE, plain autoencoder,
 * KL-only, β-TCVAE), the KL schedules, free bits and InfoVAE's MMD all act through the
 * ObjectiveSpec.
 *
 * The VAE's decoder is the network's own (every pixel independent given z) or, with the option
 * decoder = 'made', the autoregressive MADE (nets/made.ts), which sees the image itself as its
 * context in training (teacher forcing, optionally with context dropout) and draws pixel after
 * pixel when decoding. The binarised likelihood trains on images binarised afresh every step.
 */
import * as tf from '../tf';
import { FAMILIES, type FamilyId } from './catalog';
import { inputSize, type ModelConfig } from './config';
import type { Batch, BatchLosses, FamilyModel, GaussianLatent, LossOptions, NoiseSource, SequentialDecoding, StepPhase, WeightGroup } from './family';
import { GaussianAutoencoder, oneHotCondition, reparameterize } from './gaussianLatent';
import type { MadeDecoder } from './nets/made';
import { MadeArraySampler } from './nets/madeSampler';
import { VariableScope, type NamedVariable } from '../layers/scope';
import type { PriorId } from '../objective/catalog';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { CHART_SAMPLE_ROWS, klDecomposition } from '../objective/klDecomposition';
import { maximumMeanDiscrepancy } from '../objective/mmd';
import { binarise, uniformFromNormal } from '../objective/pixelNoise';
import { buildPrior, type LatentPrior } from '../objective/priors';
import type { Rng } from '../types';

export const MODEL_GROUP = 'model';

/** Seed of the noise a plain decode() draws its pixels with (the same z decodes alike every time). */
const DECODE_SEED = 4242;

export class GaussianVae implements FamilyModel {
  readonly terms: FamilyModel['terms'];
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: GaussianLatent;
  private readonly prior: LatentPrior;
  /** Whether the family charts the KL's three parts (its terms name them). */
  private readonly chartsKlParts: boolean;
  private readonly scope: VariableScope;
  private readonly nets: GaussianAutoencoder;
  /** One-hot width of the class condition (0: unconditional). */
  private readonly conditionSize: number;

  constructor(readonly config: ModelConfig, rng: Rng, conditional = false) {
    const family: FamilyId = config.family;
    this.terms = FAMILIES[family].terms;
    this.chartsKlParts = this.terms.some((t) => t.id === 'totalCorrelation');
    this.scope = new VariableScope(conditional ? 'cvae' : 'vae');
    this.conditionSize = conditional ? config.classCount : 0;
    const priorId = (config.options.prior ?? 'standard') as PriorId;
    // the autoregressive decoder is the VAE's only (the Decoder setting is declared on it alone)
    const autoregressive = family === 'vae' && config.options.decoder === 'made';
    this.nets = new GaussianAutoencoder(config, rng, this.scope, this.conditionSize, priorId === 'vamp', autoregressive);
    this.prior = buildPrior(priorId, {
      latentDim: config.latentDim,
      pixels: inputSize(config),
      components: Number(config.options.components ?? 1),
      rng,
      scope: this.scope,
      posteriorOf: (images) => this.nets.posterior(images, null),
    });
    this.groups = [{ id: MODEL_GROUP, label: priorId === 'standard' ? 'encoder and decoder' : 'encoder, decoder and prior', variables: this.scope.named.map((n) => n.variable) }];
    const logScale = this.nets.logScale;
    const latent: GaussianLatent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      encode: (x, labels) => tf.tidy(() => this.nets.posterior(x, this.condition(labels))),
      decode: (z, labels) => tf.tidy(() => (this.nets.made ? this.decodeSequentially(z) : this.nets.decodeMean(z, this.condition(labels)))),
      // for the conditional VAE log p(x|z, y): its importance-weighted bound is one on log p(x|y)
      logLikelihood: (x, z, labels) => tf.tidy(() => this.nets.logLikelihood(x, z, this.condition(labels))),
      prior: this.prior,
      learnedScale: () => (logScale ? (tf.tidy(() => tf.exp(logScale)) as tf.Scalar) : null),
    };
    if (this.nets.made) latent.startDecoding = (z, _labels, seed) => this.sequentialDecoding(z, seed);
    this.latent = latent;
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /** Whether the decoder is autoregressive. */
  get autoregressive(): boolean {
    return this.nets.made !== null;
  }

  /**
   * encode → sample (z = μ for the autoencoder) → decode → reconstruction NLL and the prior's KL
   * term (closed form for N(0, I), else log q(z|x) − log p(z) at the sample), and where the family
   * charts them (or β-TCVAE weights the TC) the KL's three parts (index-code MI, total
   * correlation, dimension-wise KL against N(0, I)) from the sample: of every sample for β-TCVAE
   * and per-example scores, of the first CHART_SAMPLE_ROWS for the chart otherwise.
   * InfoVAE adds λ·MMD against prior samples in place of the KL's weight.
   * ε is drawn for every objective first, so the noise stream does not depend on the objective;
   * what the decoder's options draw (binarisation, context dropout, InfoVAE's prior samples)
   * comes after it, in that order, only when they are on.
   */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const n = batch.x.shape[0];
      const epsilon = noise([n, this.config.latentDim]);
      const x = this.config.likelihood === 'binarised' ? binarise(batch.x, uniformFromNormal(noise([n, batch.x.shape[1]]))) : batch.x;
      const condition = this.condition(batch.labels);
      const atMean = spec.kind === 'autoencoder';
      const context = this.context(x, spec.contextDropout ?? 0, noise);
      const { posterior, z, reconstruction } = this.nets.pass(x, condition, epsilon, atMean, context);
      // the one-sample estimate needs a sample: at z = μ (the autoencoder) it is evaluated there
      const kl = this.prior.kl(posterior, z);
      const every = spec.kind === 'tcvae' || options.perExample === true;
      const parts = this.chartsKlParts || spec.kind === 'tcvae'
        ? klDecomposition(posterior, atMean ? reparameterize(posterior, epsilon) : z, epsilon, spec.datasetSize ?? 0, every ? Number.POSITIVE_INFINITY : CHART_SAMPLE_ROWS)
        : null;
      const mmd = spec.mmdWeight !== undefined && spec.kind === 'vae' ? maximumMeanDiscrepancy(z, noise([n, this.config.latentDim])) : null;
      const t = combineTerms(reconstruction, kl, spec, parts?.totalCorrelation, mmd);
      const losses: BatchLosses = {
        means: { reconstruction: t.reconstruction as tf.Scalar, kl: t.kl as tf.Scalar },
        negativeElbo: t.negativeElbo as tf.Scalar,
        objective: t.objective as tf.Scalar,
      };
      if (parts && this.chartsKlParts) {
        losses.means.mutualInformation = tf.mean(parts.mutualInformation) as tf.Scalar;
        losses.means.totalCorrelation = tf.mean(parts.totalCorrelation) as tf.Scalar;
        losses.means.dimensionWiseKl = tf.mean(parts.dimensionWiseKl) as tf.Scalar;
      }
      if (t.klPerDim) losses.klPerDim = t.klPerDim as tf.Tensor1D;
      if (options.perExample) losses.perExample = { reconstruction, kl: kl.perExample, ...(parts && this.chartsKlParts ? parts : {}) };
      return losses;
    });
  }

  dispose(): void {
    this.nets.dispose();
    this.scope.dispose();
  }

  /**
   * The autoregressive decoder's context: the image, or in training with context dropout p each
   * pixel zeroed with probability p and the rest scaled by 1/(1 − p) (inverted dropout, so the
   * context's expectation is the image). The factorised decoder has none: nothing is drawn.
   */
  private context(x: tf.Tensor2D, dropout: number, noise: NoiseSource): tf.Tensor2D {
    if (!this.nets.made || dropout <= 0) return x;
    const keep = tf.cast(tf.greaterEqual(uniformFromNormal(noise([x.shape[0], x.shape[1]])), dropout), 'float32');
    return tf.mul(x, tf.mul(keep, 1 / (1 - dropout))) as tf.Tensor2D;
  }

  private sequentialDecoding(z: tf.Tensor2D, seed: number): SequentialDecoding {
    const made = this.nets.made as MadeDecoder;
    const n = z.shape[0];
    const logScale = this.nets.logScale;
    const scale = logScale ? Math.exp((logScale.dataSync() as Float32Array)[0]) : null;
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

  /** The one-hot class for a conditional model (which needs it), null for an unconditional one. */
  private condition(labels: tf.Tensor1D | null): tf.Tensor2D | null {
    if (this.conditionSize === 0) return null;
    if (!labels) throw new Error('the conditional VAE needs a class for every image and latent');
    return oneHotCondition(labels, this.conditionSize);
  }
}
