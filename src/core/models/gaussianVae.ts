/**
 * The VAE family and its conditional sibling: an encoder with a μ / log σ² head, the
 * reparameterised sample, a decoder and a pixel likelihood, against a prior p(z) (objective/priors:
 * the standard normal with its closed-form KL, or a learned mixture with the one-sample KL
 * estimate). The conditional VAE joins the one-hot class y to the encoder's input and to z, so
 * its loss is a bound on log p(x|y). One weight group (the prior's variables included) updated by
 * one optimiser, one phase per step. The objective kinds of the catalog (VAE, plain autoencoder,
 * KL-only), the KL schedules and free bits all act through the ObjectiveSpec.
 */
import * as tf from '../tf';
import { FAMILIES, type FamilyId } from './catalog';
import { inputSize, type ModelConfig } from './config';
import type { Batch, BatchLosses, FamilyModel, GaussianLatent, LossOptions, NoiseSource, StepPhase, WeightGroup } from './family';
import { GaussianAutoencoder, oneHotCondition } from './gaussianLatent';
import { VariableScope, type NamedVariable } from '../layers/scope';
import type { PriorId } from '../objective/catalog';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { buildPrior, type LatentPrior } from '../objective/priors';
import type { Rng } from '../types';

export const MODEL_GROUP = 'model';

export class GaussianVae implements FamilyModel {
  readonly terms: FamilyModel['terms'];
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: GaussianLatent;
  private readonly prior: LatentPrior;
  private readonly scope: VariableScope;
  private readonly nets: GaussianAutoencoder;
  /** One-hot width of the class condition (0: unconditional). */
  private readonly conditionSize: number;

  constructor(readonly config: ModelConfig, rng: Rng, conditional = false) {
    const family: FamilyId = config.family;
    this.terms = FAMILIES[family].terms;
    this.scope = new VariableScope(conditional ? 'cvae' : 'vae');
    this.conditionSize = conditional ? config.classCount : 0;
    const priorId = (config.options.prior ?? 'standard') as PriorId;
    this.nets = new GaussianAutoencoder(config, rng, this.scope, this.conditionSize, priorId === 'vamp');
    this.prior = buildPrior(priorId, {
      latentDim: config.latentDim,
      pixels: inputSize(config),
      components: Number(config.options.components ?? 1),
      rng,
      scope: this.scope,
      posteriorOf: (images) => this.nets.posterior(images, null),
    });
    this.groups = [{ id: MODEL_GROUP, label: priorId === 'standard' ? 'encoder and decoder' : 'encoder, decoder and prior', variables: this.scope.named.map((n) => n.variable) }];
    this.latent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      encode: (x, labels) => tf.tidy(() => this.nets.posterior(x, this.condition(labels))),
      decode: (z, labels) => tf.tidy(() => this.nets.decodeMean(z, this.condition(labels))),
      // for the conditional VAE log p(x|z, y): its importance-weighted bound is one on log p(x|y)
      logLikelihood: (x, z, labels) => tf.tidy(() => this.nets.logLikelihood(x, z, this.condition(labels))),
      prior: this.prior,
    };
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /**
   * encode → sample (z = μ for the autoencoder) → decode → reconstruction NLL and the prior's KL
   * term (closed form for N(0, I), else log q(z|x) − log p(z) at the sample).
   * ε is drawn for every objective, so the noise stream does not depend on the objective.
   */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const { x } = batch;
      const epsilon = noise([x.shape[0], this.config.latentDim]);
      const condition = this.condition(batch.labels);
      const { posterior, z, reconstruction } = this.nets.pass(x, condition, epsilon, spec.kind === 'autoencoder');
      // the one-sample estimate needs a sample: at z = μ (the autoencoder) it is evaluated there
      const kl = this.prior.kl(posterior, z);
      const t = combineTerms(reconstruction, kl, spec);
      const losses: BatchLosses = {
        means: { reconstruction: t.reconstruction as tf.Scalar, kl: t.kl as tf.Scalar },
        negativeElbo: t.negativeElbo as tf.Scalar,
        objective: t.objective as tf.Scalar,
      };
      if (t.klPerDim) losses.klPerDim = t.klPerDim as tf.Tensor1D;
      if (options.perExample) losses.perExample = { reconstruction, kl: kl.perExample };
      return losses;
    });
  }

  dispose(): void {
    this.scope.dispose();
  }

  /** The one-hot class for a conditional model (which needs it), null for an unconditional one. */
  private condition(labels: tf.Tensor1D | null): tf.Tensor2D | null {
    if (this.conditionSize === 0) return null;
    if (!labels) throw new Error('the conditional VAE needs a class for every image and latent');
    return oneHotCondition(labels, this.conditionSize);
  }
}
