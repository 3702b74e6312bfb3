/**
 * VAE-GAN (Larsen et al. 2015): the VAE's encoder and decoder (the generator, one weight group and
 * one optimiser) and a discriminator D (its own group and optimiser) that sees real images x
 * (label 1), reconstructions x̃ = Dec(z), z ~ q(z|x), and prior samples x_p = Dec(z_p), z_p ~ N(0, I)
 * (label 0). Per player:
 *   discriminator:  D real + D fake                        (objective/adversarial.ts)
 *   generator:      R + β·KL + γ·adversarial, where R is the pixel reconstruction −log p(x|z), or
 *                   under the learned similarity ½‖D_l(x) − D_l(x̃)‖² in D's layer l.
 * The encoder keeps R + β·KL: the adversarial term's x̃ is decoded from z through a stop-gradient,
 * so one backward pass gives the encoder the gradient of R + β·KL and the decoder that of
 * R + γ·adversarial. The −ELBO reported is always the pixels' (reconstruction + KL).
 *
 * A step (planStep) is k_D discriminator updates, then one generator update; with a balancing
 * margin each update is gated on D's two losses as its phase measured them (Larsen's balancing).
 * A single player's step is one update of that player, ungated.
 */
import * as tf from '../tf';
import { DISCRIMINATOR_GROUP, FAMILIES, GENERATOR_GROUP, similarityLayer, type NetworkId } from './catalog';
import type { FamilyOptions, ModelConfig } from './config';
import type { Batch, BatchLosses, Critic, FamilyModel, GaussianLatent, LossOptions, NoiseSource, StepPhase, StepRequest, WeightGroup } from './family';
import { GaussianAutoencoder, reparameterize } from './gaussianLatent';
import { buildDiscriminator, type DiscriminatorNet } from './nets/discriminator';
import type { DecoderNet } from './nets/net';
import { VariableScope, type NamedVariable } from '../layers/scope';
import { stopGradient } from '../layers/stopGradient';
import { adversarialTerms, balance } from '../objective/adversarial';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { klDecomposition } from '../objective/klDecomposition';
import { klPerExampleAndDim } from '../objective/kl';
import { meanFromLogits, reconstructionNllPerExample } from '../objective/likelihoods';
import { maximumMeanDiscrepancy } from '../objective/mmd';
import { binarise, uniformFromNormal } from '../objective/pixelNoise';
import { STANDARD_NORMAL_PRIOR } from '../objective/priors';
import type { Rng } from '../types';

const SETTINGS = FAMILIES.vaegan.settings;

/** A live option by key, or the family's default for it. */
function optionOf(options: FamilyOptions | undefined, key: keyof typeof SETTINGS): number | string {
  return options?.[key] ?? SETTINGS[key].default;
}

export class VaeGan implements FamilyModel {
  readonly terms = FAMILIES.vaegan.terms;
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: DISCRIMINATOR_GROUP }, { group: GENERATOR_GROUP }];
  readonly latent: GaussianLatent;
  readonly critic: Critic;
  private readonly scope = new VariableScope('vaegan');
  /** The encoder and the (factorised) decoder with the config's likelihood, its learned scale included. */
  private readonly nets: GaussianAutoencoder;
  private readonly decoder: DecoderNet;
  private readonly discriminator: DiscriminatorNet;

  constructor(readonly config: ModelConfig, rng: Rng) {
    // the VAE's order (encoder, then decoder) and paths, so a VAE's weights load into the generator;
    // the decoder is the network's own (the autoregressive MADE is the VAE's only)
    this.nets = new GaussianAutoencoder(config, rng, this.scope);
    this.decoder = this.nets.decoder as DecoderNet;
    const generator = this.scope.named.map((n) => n.variable);
    this.discriminator = buildDiscriminator(optionOf(config.options, 'discriminator') as NetworkId, config.imageShape, config.hiddenDim, rng, this.scope);
    this.groups = [
      { id: DISCRIMINATOR_GROUP, label: 'discriminator', variables: this.scope.under('discriminator') },
      { id: GENERATOR_GROUP, label: 'encoder and decoder', variables: generator },
    ];
    const logScale = this.nets.logScale;
    this.latent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      encode: (x) => this.nets.posterior(x, null),
      decode: (z) => this.nets.decodeMean(z, null),
      logLikelihood: (x, z) => this.nets.logLikelihood(x, z, null),
      prior: STANDARD_NORMAL_PRIOR,
      learnedScale: () => (logScale ? (tf.tidy(() => tf.exp(logScale)) as tf.Scalar) : null),
    };
    this.critic = { realProbability: (x) => tf.tidy(() => tf.sigmoid(this.discriminator.call(x).logits) as tf.Tensor1D) };
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /** k_D discriminator updates, then the generator's; gated by the balancing margin when it is on. */
  planStep(request: StepRequest): readonly StepPhase[] {
    if (request.groups) return this.phases;
    const kD = Math.max(1, Math.round(Number(optionOf(request.options, 'discriminatorSteps'))));
    const margin = Number(optionOf(request.options, 'balanceMargin'));
    const decide = (t: Readonly<Record<string, number>>) => balance(t.discriminatorReal, t.discriminatorFake, margin);
    const gated = margin > 0;
    const discriminator: StepPhase = gated ? { group: DISCRIMINATOR_GROUP, gate: (t) => decide(t).discriminator } : { group: DISCRIMINATOR_GROUP };
    const generator: StepPhase = gated ? { group: GENERATOR_GROUP, gate: (t) => decide(t).generator } : { group: GENERATOR_GROUP };
    return [...Array.from({ length: kD }, () => discriminator), generator];
  }

  /**
   * Every declared term for a batch, and the objective of weight group `group`. Two draws of
   * noise (ε for z, then z_p), whatever the group, so the stream does not depend on the player.
   */
  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const n = batch.x.shape[0];
      const epsilon = noise([n, this.config.latentDim]);
      const zPrior = noise([n, this.config.latentDim]);
      // the binarised likelihood trains on images binarised afresh every step (as the VAE does)
      const x = this.config.likelihood === 'binarised' ? binarise(batch.x, uniformFromNormal(noise([n, batch.x.shape[1]]))) : batch.x;
      const posterior = this.nets.posterior(x, null);
      const z = spec.kind === 'autoencoder' ? posterior.mu : reparameterize(posterior, epsilon);
      const generator = group === GENERATOR_GROUP;
      const layer = similarityLayer(optionOf(spec.options, 'similarity'));
      const learned = generator && layer > 0;
      // one decoder pass: x̃ (for the reconstruction), x̃ again through a stop-gradient (for the
      // adversarial term, so it trains the decoder only) and x_p; D's step needs no second x̃
      const latents = generator ? [z, stopGradient(z), zPrior] : [z, zPrior];
      const logits = tf.split(this.decoder.call(tf.concat(latents, 0) as tf.Tensor2D, null), latents.length, 0) as tf.Tensor2D[];
      const reconstructionLogits = logits[0];
      const priorLogits = logits[logits.length - 1];
      const adversarialLogits = logits[generator ? 1 : 0];
      const pixelReconstruction = reconstructionNllPerExample(this.config.likelihood, reconstructionLogits, x, this.nets.logScale);
      // D sees [x, x̃ (through the stop-gradient in a generator step), x_p, and x̃ itself when the
      // learned similarity needs its features with a gradient to the encoder]
      const images = [x, meanFromLogits(adversarialLogits), meanFromLogits(priorLogits)];
      if (learned) images.push(meanFromLogits(reconstructionLogits));
      const seen = this.discriminator.call(tf.concat(images, 0) as tf.Tensor2D);
      const rows = (t: tf.Tensor2D | tf.Tensor1D, k: number) => (t.rank === 1 ? tf.slice(t, [k * n], [n]) : tf.slice(t, [k * n, 0], [n, -1]));
      const adversarial = adversarialTerms(rows(seen.logits, 0) as tf.Tensor1D, rows(seen.logits, 1) as tf.Tensor1D, rows(seen.logits, 2) as tf.Tensor1D);
      const features = seen.features[Math.max(layer, 1) - 1];
      const featureDistance = tf.mul(tf.sum(tf.squaredDifference(rows(features, 0), rows(features, learned ? 3 : 1)), 1), 0.5) as tf.Tensor1D;
      const klPerExampleDim = klPerExampleAndDim(posterior);
      // the Training objective's other kinds act on the encoder's and decoder's VAE part as in the
      // VAE: β-TCVAE weights the total correlation (of every sample), InfoVAE puts λ·MMD in place of the KL
      const tc = spec.kind === 'tcvae' ? klDecomposition(posterior, z, epsilon, spec.datasetSize ?? 0, Number.POSITIVE_INFINITY).totalCorrelation : undefined;
      const mmd = spec.mmdWeight !== undefined && spec.kind === 'vae' ? maximumMeanDiscrepancy(z, noise([n, this.config.latentDim])) : null;
      const t = combineTerms(pixelReconstruction, klPerExampleDim, spec, tc, mmd);
      const means = {
        reconstruction: t.reconstruction as tf.Scalar,
        kl: t.kl as tf.Scalar,
        featureReconstruction: tf.mean(featureDistance) as tf.Scalar,
        adversarial: tf.mean(adversarial.generator) as tf.Scalar,
        discriminatorReal: tf.mean(adversarial.discriminatorReal) as tf.Scalar,
        discriminatorFake: tf.mean(adversarial.discriminatorFake) as tf.Scalar,
      };
      let objective: tf.Scalar;
      if (generator) {
        const vae = learned ? combineTerms(featureDistance, klPerExampleDim, spec, tc, mmd).objective : t.objective;
        const gamma = Number(optionOf(spec.options, 'adversarialWeight'));
        objective = (gamma > 0 ? tf.add(vae, tf.mul(means.adversarial, gamma)) : vae) as tf.Scalar;
      } else {
        objective = tf.add(means.discriminatorReal, means.discriminatorFake) as tf.Scalar;
      }
      const losses: BatchLosses = { means, klPerDim: t.klPerDim as tf.Tensor1D, negativeElbo: t.negativeElbo as tf.Scalar, objective };
      if (options.perExample) {
        losses.perExample = {
          reconstruction: pixelReconstruction,
          kl: tf.sum(klPerExampleDim, 1) as tf.Tensor1D,
          featureReconstruction: featureDistance,
          adversarial: adversarial.generator,
          discriminatorReal: adversarial.discriminatorReal,
          discriminatorFake: adversarial.discriminatorFake,
        };
      }
      return losses;
    });
  }

  dispose(): void {
    this.nets.dispose();
    this.scope.dispose();
  }
}
