/**
 * The VAE family: an encoder network with a μ / log σ² head, the reparameterised sample, a
 * decoder network and a pixel likelihood; the KL against N(0, I) in closed form. One weight group
 * updated by one optimiser, one phase per step. The objective kinds of the catalog (VAE, plain
 * autoencoder, KL-only, β-TCVAE), the KL schedules and free bits all act through the ObjectiveSpec.
 */
import * as tf from '../tf';
import { FAMILIES, networkOptionsOf } from './catalog';
import type { ModelConfig } from './config';
import type { Batch, BatchLosses, FamilyModel, GaussianLatent, LossOptions, NoiseSource, StepPhase, WeightGroup } from './family';
import { reparameterize, splitPosterior } from './gaussianLatent';
import { NETS } from './nets';
import type { DecoderNet, EncoderNet } from './nets/net';
import { VariableScope, type NamedVariable } from '../layers/scope';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { klPerExampleAndDim } from '../objective/kl';
import { CHART_SAMPLE_ROWS, klDecomposition } from '../objective/klDecomposition';
import { meanFromLogits, reconstructionNllPerExample } from '../objective/likelihoods';
import { STANDARD_NORMAL_PRIOR } from '../objective/priors';
import type { Rng } from '../types';

export const MODEL_GROUP = 'model';

export class GaussianVae implements FamilyModel {
  readonly terms = FAMILIES.vae.terms;
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: GaussianLatent;
  private readonly scope = new VariableScope('vae');
  private readonly encoder: EncoderNet;
  private readonly decoder: DecoderNet;

  constructor(readonly config: ModelConfig, rng: Rng) {
    const net = NETS[config.network];
    const networkOptions = networkOptionsOf(config.network, config.networkOptions);
    const shape = {
      imageShape: config.imageShape,
      conditionSize: 0,
      outputSize: 2 * config.latentDim,
      latentSize: config.latentDim,
      hiddenDim: config.hiddenDim,
    };
    // the encoder draws its initial weights first, then the decoder (the reference's order)
    this.encoder = net.encoder(shape, rng, this.scope, networkOptions);
    this.decoder = net.decoder(shape, rng, this.scope, networkOptions);
    this.groups = [{ id: MODEL_GROUP, label: 'encoder and decoder', variables: this.scope.named.map((n) => n.variable) }];
    this.latent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      encode: (x) => tf.tidy(() => splitPosterior(this.encoder.call(x, null))),
      decode: (z) => tf.tidy(() => meanFromLogits(this.decoder.call(z, null))),
      logLikelihood: (x, z) => tf.tidy(() => tf.neg(reconstructionNllPerExample(config.likelihood, this.decoder.call(z, null), x)) as tf.Tensor1D),
      prior: STANDARD_NORMAL_PRIOR,
    };
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /**
   * encode → sample (z = μ for the autoencoder) → decode → reconstruction NLL and closed-form KL,
   * and the KL's three parts (index-code MI, total correlation, dimension-wise KL) from the
   * sampled z: of every sample for β-TCVAE (which weights the TC) and per-example scores, of the
   * first CHART_SAMPLE_ROWS for the chart otherwise (off the gradient's path: no backward cost).
   * ε is drawn for every objective, so the noise stream does not depend on the objective.
   */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const { x } = batch;
      const epsilon = noise([x.shape[0], this.config.latentDim]);
      const posterior = splitPosterior(this.encoder.call(x, null));
      const sample = reparameterize(posterior, epsilon);
      const z = spec.kind === 'autoencoder' ? posterior.mu : sample;
      const logits = this.decoder.call(z, null);
      const reconstruction = reconstructionNllPerExample(this.config.likelihood, logits, x);
      const klPerExampleDim = klPerExampleAndDim(posterior);
      const every = spec.kind === 'tcvae' || options.perExample === true;
      const parts = klDecomposition(posterior, sample, epsilon, spec.datasetSize ?? 0, every ? Number.POSITIVE_INFINITY : CHART_SAMPLE_ROWS);
      const t = combineTerms(reconstruction, klPerExampleDim, spec, parts.totalCorrelation);
      const losses: BatchLosses = {
        means: {
          reconstruction: t.reconstruction as tf.Scalar,
          kl: t.kl as tf.Scalar,
          mutualInformation: tf.mean(parts.mutualInformation) as tf.Scalar,
          totalCorrelation: tf.mean(parts.totalCorrelation) as tf.Scalar,
          dimensionWiseKl: tf.mean(parts.dimensionWiseKl) as tf.Scalar,
        },
        klPerDim: t.klPerDim as tf.Tensor1D,
        negativeElbo: t.negativeElbo as tf.Scalar,
        objective: t.objective as tf.Scalar,
      };
      if (options.perExample) losses.perExample = { reconstruction, kl: tf.sum(klPerExampleDim, 1) as tf.Tensor1D, ...parts };
      return losses;
    });
  }

  dispose(): void {
    this.scope.dispose();
  }
}
