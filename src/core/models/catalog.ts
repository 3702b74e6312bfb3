/**
 * The model families, declared: what each is called, what its latent is, which networks it can be
 * built with, the loss terms it reports, its own settings and the panels that apply to it. Pure
 * data (no tfjs), so the page reads it without loading tfjs and the worker validates with it; the
 * builders that make the tensors live in registry.ts, keyed by the same ids.
 *
 * A new family is an entry here and a builder there: the settings schema, the worker's
 * validation, the loss chart and the page's panels all follow from the entry.
 */
import { PRIORS, type PriorId } from '../objective/catalog';
import type { LossTermSpec } from '../objective/terms';
import type { ModelDiagram } from './diagram';
import { CVAE_DIAGRAM, M2_DIAGRAM } from './diagrams/conditional';
import { VAE_DIAGRAM } from './diagrams/gaussianVae';
import { VQ_DIAGRAM } from './diagrams/vqVae';
import { VQ_SETTINGS } from './vq/vqSettings';
import { choiceSetting, rangeSetting, type SettingSpecs } from '../settings/spec';
import { DECODER_SETTINGS } from './decoderSettings';
import { KL_PART_TERMS, KL_TERM, RECONSTRUCTION_TERM } from './elboTerms';
import type { NetworkId } from './networks';
import { VAE_GAN } from './vaeGanEntry';

export * from './networks';
export { KL_PART_TERMS, KL_TERM, RECONSTRUCTION_TERM } from './elboTerms';
export { DISCRIMINATOR_GROUP, GENERATOR_GROUP, SIMILARITIES, similarityLayer, type SimilarityId } from './vaeGanEntry';

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
  /** One z decoded as every class (the conditional families). */
  | 'classStrip'
  /** A classifier's test accuracy: M2's q(y|x), or M1's k-NN on the VAE's posterior means. */
  | 'classifier'
  /** A learned prior's components, and the VampPrior's pseudo-inputs as images. */
  | 'priorComponents'
  // the tools of a trained model ("Use the model"); interpolation and the IWAE bound need a Gaussian latent
  | 'interpolation'
  | 'anomalyDetection'
  | 'drawing'
  | 'logLikelihood'
  | 'reconstructions'
  // the worked example of the reparameterisation trick (a Gaussian latent)
  | 'workedExample'
  // a discrete latent (VQ-VAE): the codebook, its usage, a test image's code grid, samples from priors over codes
  | 'codebook'
  | 'codeUsage'
  | 'codeGrid'
  | 'codePriors'
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
  /** The networks it can be built with; the first is what an unknown choice falls back to. */
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
  /**
   * The key of the family's setting that says how many training images keep their label (the
   * semi-supervised families): the worker hides the others' labels and adds a batch of labelled
   * images to every step; the test bound is then computed without labels.
   */
  labelledExamplesSetting?: string;
  /** Players that can be stepped one at a time (GAN Lab's step buttons); absent: one step for all. */
  players?: readonly PlayerSpec[];
  /**
   * What training minimises, in words, for a family whose players minimise different sums of its
   * terms (the loss chart's caption says this instead of one weighted sum). Absent: the sum.
   */
  objectiveInWords?: string;
}

/** The prior p(z) of a Gaussian latent (objective/priors). */
export const PRIOR_SETTING = choiceSetting<PriorId>({
  label: 'Prior',
  urlKey: 'prior',
  default: 'standard',
  section: 'model',
  options: PRIORS.map((p) => ({ value: p.id, label: p.label })),
  hint: 'p(z): the standard normal, or a learned mixture (its KL is then the one-sample estimate log q(z|x) − log p(z))',
});

export const COMPONENTS_SETTING = rangeSetting({
  label: 'Components',
  urlKey: 'components',
  default: 10,
  min: 1,
  max: 500,
  integer: true,
  effect: 'model',
  section: 'model',
  hint: 'K: Gaussians of the mixture, or pseudo-inputs of the VampPrior',
  requires: { key: 'prior', oneOf: ['mog', 'vamp'] },
});

/** How many training images keep their label: M2 learns from them, M1 reads the VAE's latent space with them. */
export const LABELLED_SETTING = choiceSetting<string>({
  label: 'Labelled examples',
  urlKey: 'labelled',
  default: '100',
  effect: 'live',
  section: 'model',
  options: [
    { value: '100', label: '100' },
    { value: '600', label: '600' },
    { value: '1000', label: '1,000' },
    { value: '3000', label: '3,000' },
    { value: 'all', label: 'all' },
  ],
  hint: 'Training images whose class the classifier may see (the same number of each class); the others count as unlabelled',
});

export const CLASSIFIER_WEIGHT_SETTING = rangeSetting({
  label: 'Classifier weight α',
  urlKey: 'alpha',
  default: 50,
  min: 0,
  max: 10_000,
  section: 'objective',
  hint: 'objective = −ELBO + α · mean over the labelled images of −log q(y|x) (Kingma et al.: the classifier learns from labels only through this term)',
});

/** Training images with a label, as the Labelled examples setting says (Infinity for all). */
export function labelledCount(value: unknown): number {
  const n = Number(value);
  return value === 'all' || !Number.isFinite(n) ? Infinity : n;
}

const VAE = {
  id: 'vae',
  label: 'VAE',
  description: 'The variational autoencoder of Kingma & Welling: a Gaussian posterior q(z|x), a standard normal prior and the ELBO.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [RECONSTRUCTION_TERM, KL_TERM, ...KL_PART_TERMS],
  settings: { prior: PRIOR_SETTING, components: COMPONENTS_SETTING, labelled: LABELLED_SETTING, ...DECODER_SETTINGS },
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'priorComponents',
    'traversals',
    'klPerDimension',
    'disentanglement',
    'latentUsage',
    'snapshots',
    'comparison',
    'classifier',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
    'workedExample',
    'sampleQuality',
  ],
  usesLabels: false,
  diagram: VAE_DIAGRAM,
} as const satisfies FamilyDescriptor;

const CVAE = {
  id: 'cvae',
  label: 'Conditional VAE',
  description:
    'The class y (one-hot) joins the encoder’s input and the decoder’s z: q(z|x, y), p(x|z, y), and z is left to hold the style. Its −ELBO bounds −log p(x|y), the image given its class: below the VAE’s bound on −log p(x) (by about log 10 ≈ 2.3 nats were both bounds tight, by far more at z = 2, where two dimensions cannot hold the class).',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [
    { ...RECONSTRUCTION_TERM, meaning: '−E_q[log p(x|z, y)]: the nats the decoder needs to describe the image given z and its class' },
    { ...KL_TERM, meaning: 'KL(q(z|x, y) ‖ p(z)): the nats the style code costs against the prior' },
  ],
  settings: {},
  panels: ['lossCurves', 'latentSpace', 'decodedPoint', 'decoderGrid', 'classStrip', 'traversals', 'klPerDimension', 'snapshots', 'sampleQuality'],
  usesLabels: true,
  diagram: CVAE_DIAGRAM,
} as const satisfies FamilyDescriptor;

const M2 = {
  id: 'm2',
  label: 'Semi-supervised (M2)',
  description:
    'Kingma et al. 2014: a classifier q(y|x) beside a conditional VAE. A labelled image gets the bound on log p(x, y); for an unlabelled one the class is inferred by q(y|x) and summed out.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [
    { ...RECONSTRUCTION_TERM, meaning: '−E_q[log p(x|z, y)], for an unlabelled image averaged over the classes with q(y|x)' },
    { ...KL_TERM, meaning: 'KL(q(z|x, y) ‖ p(z)), for an unlabelled image averaged over the classes with q(y|x)' },
    {
      id: 'classKl',
      label: 'Class KL',
      meaning: 'KL(q(y|x) ‖ p(y)) for an unlabelled image (log K − the entropy of q(y|x)); −log p(y) = log K for a labelled one',
      inElbo: true,
      role: 'regulariser',
    },
    {
      id: 'classification',
      label: 'Classification',
      meaning: '−log q(y|x) of the labelled images in the batch (0 for the unlabelled ones): the supervised term, weighted by α, outside the bound',
      inElbo: false,
      role: 'auxiliary',
    },
  ],
  settings: { labelled: LABELLED_SETTING, classifierWeight: CLASSIFIER_WEIGHT_SETTING },
  panels: ['lossCurves', 'latentSpace', 'decodedPoint', 'decoderGrid', 'classStrip', 'classifier', 'traversals', 'klPerDimension', 'sampleQuality'],
  usesLabels: true,
  labelledExamplesSetting: 'labelled',
  diagram: M2_DIAGRAM,
} as const satisfies FamilyDescriptor;

const VQVAE = {
  id: 'vqvae',
  label: 'VQ-VAE',
  description:
    'van den Oord et al. 2017: the encoder maps each position of a grid to the nearest of K learned codes, and the decoder sees only the codes. The latent is a grid of choices, not a point.',
  latentKind: 'discrete',
  networks: ['conv'],
  terms: [
    { ...RECONSTRUCTION_TERM, meaning: '−log p(x|z_q): the nats the decoder needs to describe the image given its grid of codes' },
    {
      id: 'codeKl',
      label: 'KL',
      meaning: 'KL(q(z|x) ‖ p(z)) = positions · log K: a constant, since q puts each position on one code with certainty and the prior is uniform over the K codes',
      inElbo: true,
      inObjective: false,
      role: 'regulariser',
    },
    {
      id: 'codebook',
      label: 'Codebook',
      meaning: '‖sg[z_e] − e‖²: moves each code toward the encoder outputs that chose it (summed over positions and D)',
      inElbo: false,
      role: 'auxiliary',
    },
    {
      id: 'commitment',
      label: 'Commitment',
      meaning: "β_c‖z_e − sg[e]‖²: keeps the encoder's outputs near the codes they chose",
      inElbo: false,
      role: 'auxiliary',
    },
  ],
  settings: VQ_SETTINGS,
  panels: ['lossCurves', 'codebook', 'codeUsage', 'codeGrid', 'codePriors', 'anomalyDetection', 'sampleQuality'],
  usesLabels: false,
  diagram: VQ_DIAGRAM,
} as const satisfies FamilyDescriptor;

export const FAMILIES = { vae: VAE, cvae: CVAE, m2: M2, vqvae: VQVAE, vaegan: VAE_GAN } as const satisfies Record<string, FamilyDescriptor>;
export type FamilyId = keyof typeof FAMILIES;
export const FAMILY_IDS = Object.keys(FAMILIES) as FamilyId[];

export function familyOf(id: FamilyId): FamilyDescriptor {
  return FAMILIES[id];
}

export function isFamilyId(value: unknown): value is FamilyId {
  return typeof value === 'string' && Object.hasOwn(FAMILIES, value);
}

/** The network a family is built with for a requested one: the request if offered, else its first. */
export function networkFor(family: Pick<FamilyDescriptor, 'networks'>, requested: NetworkId): NetworkId {
  return family.networks.includes(requested) ? requested : family.networks[0];
}

/** Every family's own settings in one table (a setting two families share is the same spec). */
export function familySettingSpecs(): SettingSpecs {
  return Object.assign({}, ...FAMILY_IDS.map((id) => FAMILIES[id].settings)) as SettingSpecs;
}
