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
import type { SettingSpecs } from '../settings/spec';
import type { ModelDiagram } from './diagram';
import { VAE_DIAGRAM } from './diagrams/gaussianVae';

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
  // the worked example of the reparameterisation trick (a Gaussian latent)
  | 'workedExample';

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
  /** The family's graph for the "Model diagram" panel (core/models/diagram.ts; README "Model diagram"). */
  diagram: ModelDiagram;
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
    'workedExample',
  ],
  usesLabels: false,
  diagram: VAE_DIAGRAM,
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
