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
  | 'latentUsage'
  | 'snapshots'
  | 'comparison'
  // the tools of a trained model ("Use the model"); interpolation and the IWAE bound need a Gaussian latent
  | 'interpolation'
  | 'anomalyDetection'
  | 'drawing'
  | 'logLikelihood'
  | 'reconstructions';

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

/** The decoders of the VAE: every pixel independent given z, or autoregressive (MADE). */
export const DECODERS = [
  { id: 'factorised', label: 'Factorised (pixels independent given z)' },
  { id: 'made', label: 'Autoregressive (MADE)' },
] as const;
export type DecoderKind = (typeof DECODERS)[number]['id'];

/** The VAE's objectives: the ELBO, or InfoVAE's MMD in place of the KL. */
export const VAE_OBJECTIVES = [
  { id: 'elbo', label: 'ELBO (reconstruction + β·KL)' },
  { id: 'infovae', label: 'InfoVAE (reconstruction + λ·MMD)' },
] as const;
export type VaeObjective = (typeof VAE_OBJECTIVES)[number]['id'];

/** The VAE's own settings: the decoder, its context dropout, and the InfoVAE objective. */
const VAE_SETTINGS = {
  decoder: choiceSetting<DecoderKind>({
    label: 'Decoder',
    urlKey: 'dec',
    default: 'factorised',
    section: 'model',
    options: DECODERS.map((d) => ({ value: d.id, label: d.label })),
    hint: 'Autoregressive: p(x|z) = Π p(x_i | x_<i, z), each pixel given the ones before it (a masked MLP, MADE): strong enough to model digits without z',
  }),
  contextDropout: rangeSetting({
    label: 'Context dropout',
    urlKey: 'cdrop',
    default: 0,
    min: 0,
    max: 0.95,
    section: 'objective',
    hint: "Fraction of the autoregressive decoder's context pixels dropped in training: a weaker decoder has to ask z",
  }),
  vaeObjective: choiceSetting<VaeObjective>({
    label: 'Objective',
    urlKey: 'obj',
    default: 'elbo',
    effect: 'live',
    section: 'objective',
    options: VAE_OBJECTIVES.map((o) => ({ value: o.id, label: o.label })),
    hint: 'InfoVAE / MMD-VAE (Zhao et al. 2017): the KL per image replaced by λ·MMD between the batch of codes and prior samples',
  }),
  mmdWeight: rangeSetting({
    label: 'MMD weight λ',
    urlKey: 'mmd',
    default: 1000,
    min: 0,
    max: 100_000,
    section: 'objective',
    hint: 'loss = reconstruction + λ·MMD(q(z), p(z)), in nats per image',
  }),
} as const satisfies SettingSpecs;

const VAE = {
  id: 'vae',
  label: 'VAE',
  description: 'The variational autoencoder of Kingma & Welling: a Gaussian posterior q(z|x), a standard normal prior and the ELBO.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [RECONSTRUCTION_TERM, KL_TERM],
  settings: VAE_SETTINGS,
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'traversals',
    'klPerDimension',
    'disentanglement',
    'latentUsage',
    'snapshots',
    'comparison',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
  ],
  usesLabels: false,
} as const satisfies FamilyDescriptor;

export const FAMILIES = { vae: VAE } as const satisfies Record<string, FamilyDescriptor>;
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
