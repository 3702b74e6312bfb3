/**
 * The model families, declared: what each is called, what its latent is, which networks it can be
 * built with, the loss terms it reports, its own settings and the panels that apply to it. Pure
 * data (no tfjs), so the page reads it without loading tfjs and the worker validates with it; the
 * builders that make the tensors live in registry.ts, keyed by the same ids.
 *
 * A new family is an entry here and a builder there: the settings schema, the worker's
 * validation, the loss chart and the page's panels all follow from the entry.
 */
import type { LossTermSpec } from '../objective/terms';
import { choiceSetting, rangeSetting, type SettingSpecs } from '../settings/spec';

/** The networks an encoder and a decoder can be made of. */
export const NETWORKS = [
  { id: 'mlp', label: 'MLP' },
  { id: 'conv', label: 'Convolutional' },
] as const;
export type NetworkId = (typeof NETWORKS)[number]['id'];

/** What q(z|x) is: a diagonal Gaussian (μ, log σ²) or a choice among codes. */
export type LatentKind = 'gaussian' | 'discrete';

/** The page's panels that depend on the model (the status bar and settings always show). */
export type PanelId =
  | 'lossCurves'
  | 'latentSpace'
  | 'decodedPoint'
  | 'decoderGrid'
  | 'traversals'
  | 'klPerDimension'
  | 'disentanglement'
  | 'snapshots'
  | 'comparison'
  // the tools of a trained model ("Use the model"); interpolation and the IWAE bound need a Gaussian latent
  | 'interpolation'
  | 'anomalyDetection'
  | 'drawing'
  | 'logLikelihood'
  | 'reconstructions'
  // the sample-quality score (every family that samples from a prior)
  | 'sampleQuality'
  // the adversarial families: D's outputs over training, samples beside a plain VAE's
  | 'discriminator'
  | 'vaeBaseline';

/** A player of an adversarial family: its weight groups can be stepped alone from the page. */
export interface PlayerSpec {
  id: string;
  label: string;
  /** The weight groups one of its steps updates. */
  groups: readonly string[];
}

export interface FamilyDescriptor {
  id: string;
  label: string;
  /** One sentence: what the family is and what it changes. */
  description: string;
  latentKind: LatentKind;
  networks: readonly NetworkId[];
  /** The loss terms, in the order the chart lists them. */
  terms: readonly LossTermSpec[];
  /** The family's own settings (they join the page's one settings schema). */
  settings: SettingSpecs;
  panels: readonly PanelId[];
  /** Batches carry class labels (the conditional and semi-supervised families). */
  usesLabels: boolean;
  /** Players that can be stepped one at a time (GAN Lab's step buttons); absent: one step for all. */
  players?: readonly PlayerSpec[];
}

export const RECONSTRUCTION_TERM: LossTermSpec = {
  id: 'reconstruction',
  label: 'Reconstruction',
  meaning: '−E_q[log p(x|z)]: the nats the decoder needs to describe the image given z',
  inElbo: true,
  role: 'reconstruction',
};

export const KL_TERM: LossTermSpec = {
  id: 'kl',
  label: 'KL',
  meaning: 'KL(q(z|x) ‖ p(z)): the nats the code costs against the prior',
  inElbo: true,
  role: 'regulariser',
};

const VAE = {
  id: 'vae',
  label: 'VAE',
  description: 'The variational autoencoder of Kingma & Welling: a Gaussian posterior q(z|x), a standard normal prior and the ELBO.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [RECONSTRUCTION_TERM, KL_TERM],
  settings: {},
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'traversals',
    'klPerDimension',
    'disentanglement',
    'snapshots',
    'comparison',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
    'sampleQuality',
  ],
  usesLabels: false,
} as const satisfies FamilyDescriptor;

/** The weight groups (players) of VAE-GAN. */
export const DISCRIMINATOR_GROUP = 'discriminator';
export const GENERATOR_GROUP = 'generator';

/** Where VAE-GAN measures a reconstruction: pixels, or the discriminator's l-th layer (Larsen's learned similarity). */
export const SIMILARITIES = [
  { value: 'pixels', label: 'pixels (the likelihood)' },
  { value: 'layer1', label: 'discriminator layer 1' },
  { value: 'layer2', label: 'discriminator layer 2' },
] as const;
export type SimilarityId = (typeof SIMILARITIES)[number]['value'];

/** The feature layer a similarity measures in (0: pixels). */
export function similarityLayer(value: unknown): number {
  return value === 'layer1' ? 1 : value === 'layer2' ? 2 : 0;
}

const VAE_GAN_SETTINGS = {
  discriminator: choiceSetting<NetworkId>({
    label: 'Discriminator',
    urlKey: 'disc',
    default: 'mlp',
    section: 'model',
    options: NETWORKS.map((n) => ({ value: n.id, label: n.label })),
    hint: 'The network that tells real images from reconstructions and prior samples',
  }),
  adversarialWeight: rangeSetting({
    label: 'γ (adversarial weight)',
    urlKey: 'advgamma',
    default: 10,
    min: 0,
    max: 1000,
    section: 'objective',
    hint: "decoder's loss = reconstruction + γ·adversarial; the encoder keeps reconstruction + β·KL. γ = 0: a VAE with a spectator",
  }),
  discriminatorSteps: rangeSetting({
    label: 'k_D (discriminator steps)',
    urlKey: 'kd',
    default: 1,
    min: 1,
    max: 10,
    integer: true,
    section: 'optimiser',
    hint: 'Discriminator updates per generator update (GAN Lab’s k_D), each on the step’s batch with fresh samples',
  }),
  balanceMargin: rangeSetting({
    label: 'Balancing margin',
    urlKey: 'margin',
    default: 0,
    min: 0,
    max: 0.69,
    section: 'optimiser',
    hint: "Larsen's balancing: D skips its update while a loss of its is below ln 2 − m, the generator while one is above ln 2 + m (0: off; Larsen used 0.35)",
  }),
  similarity: choiceSetting<SimilarityId>({
    label: 'Reconstruction in',
    urlKey: 'sim',
    default: 'pixels',
    effect: 'live',
    section: 'objective',
    options: SIMILARITIES,
    hint: "Larsen's learned similarity: the encoder and decoder minimise ½‖D_l(x) − D_l(x̃)‖² in a discriminator layer instead of the pixel likelihood (the −ELBO is still the pixels')",
  }),
} as const satisfies SettingSpecs;

const VAE_GAN = {
  id: 'vaegan',
  label: 'VAE-GAN',
  description:
    'Larsen et al. 2015: the VAE’s encoder and decoder and a discriminator that tells real images from reconstructions and prior samples; the decoder also learns to fool it (weight γ), for sharper samples at some cost in likelihood.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [
    RECONSTRUCTION_TERM,
    KL_TERM,
    {
      id: 'featureReconstruction',
      label: 'Feature reconstruction',
      meaning:
        '½‖D_l(x) − D_l(x̃)‖²: the distance of a reconstruction from its image in the discriminator’s layer l (layer 1 while Reconstruction in is pixels); minimised in place of the pixel term under the learned similarity',
      inElbo: false,
      role: 'reconstruction',
    },
    {
      id: 'adversarial',
      label: 'Adversarial (G)',
      meaning: '−½[log D(x̃) + log D(x_p)]: the decoder’s loss for reconstructions and prior samples that the discriminator does not take for real; weighted by γ',
      inElbo: false,
      role: 'adversarial',
    },
    {
      id: 'discriminatorReal',
      label: 'Discriminator, real',
      meaning: '−log D(x): the discriminator’s loss on real images (label 1); ln 2 ≈ 0.69 when it cannot tell',
      inElbo: false,
      role: 'adversarial',
    },
    {
      id: 'discriminatorFake',
      label: 'Discriminator, fake',
      meaning: '−½[log(1 − D(x̃)) + log(1 − D(x_p))]: the discriminator’s loss on reconstructions and prior samples (label 0)',
      inElbo: false,
      role: 'adversarial',
    },
  ],
  settings: VAE_GAN_SETTINGS,
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'traversals',
    'klPerDimension',
    'snapshots',
    'discriminator',
    'vaeBaseline',
    'sampleQuality',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
  ],
  usesLabels: false,
  players: [
    { id: 'discriminator', label: 'Discriminator', groups: [DISCRIMINATOR_GROUP] },
    { id: 'generator', label: 'Generator', groups: [GENERATOR_GROUP] },
  ],
} as const satisfies FamilyDescriptor;

export const FAMILIES = { vae: VAE, vaegan: VAE_GAN } as const satisfies Record<string, FamilyDescriptor>;
export type FamilyId = keyof typeof FAMILIES;
export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

export function familyOf(id: FamilyId): FamilyDescriptor {
  return FAMILIES[id];
}

export function isFamilyId(value: unknown): value is FamilyId {
  return typeof value === 'string' && Object.hasOwn(FAMILIES, value);
}

/** Every family's own settings in one table (a setting two families share is the same spec). */
export function familySettingSpecs(): SettingSpecs {
  return Object.assign({}, ...FAMILY_IDS.map((id) => FAMILIES[id].settings)) as SettingSpecs;
}
