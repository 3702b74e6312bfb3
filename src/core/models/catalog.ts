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
  // a discrete latent (VQ-VAE): the codebook, its usage, a test image's code grid, samples from priors over codes
  | 'codebook'
  | 'codeUsage'
  | 'codeGrid'
  | 'codePriors';

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
  /**
   * The key of the family's setting that says how many training images keep their label (the
   * semi-supervised families): the worker hides the others' labels and adds a batch of labelled
   * images to every step; the test bound is then computed without labels.
   */
  labelledExamplesSetting?: string;
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
  terms: [RECONSTRUCTION_TERM, KL_TERM],
  settings: { prior: PRIOR_SETTING, components: COMPONENTS_SETTING, labelled: LABELLED_SETTING },
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'priorComponents',
    'traversals',
    'klPerDimension',
    'disentanglement',
    'snapshots',
    'comparison',
    'classifier',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
  ],
  usesLabels: false,
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
  panels: ['lossCurves', 'latentSpace', 'decodedPoint', 'decoderGrid', 'classStrip', 'traversals', 'klPerDimension', 'snapshots'],
  usesLabels: true,
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
  panels: ['lossCurves', 'latentSpace', 'decodedPoint', 'decoderGrid', 'classStrip', 'classifier', 'traversals', 'klPerDimension'],
  usesLabels: true,
  labelledExamplesSetting: 'labelled',
} as const satisfies FamilyDescriptor;

/** Values of the VQ-VAE's "Codebook updates" setting. */
export type CodebookUpdate = 'gradient' | 'ema';

/**
 * VQ-VAE's own settings: exactly ../shared/reference/vae_torch.py --arch vq at the defaults (K = 64
 * codes of D = 16, commitment 0.25, codebook by gradient), plus the paper's EMA codebook updates
 * (van den Oord et al. 2017, appendix) and dead-code restarts.
 */
export const VQ_SETTINGS = {
  codes: rangeSetting({
    label: 'Codes K',
    urlKey: 'codes',
    default: 64,
    min: 16,
    max: 512,
    integer: true,
    effect: 'model',
    section: 'model',
    hint: 'Vectors in the codebook, 16 to 512: each position of the code grid is one of them',
  }),
  codeDim: rangeSetting({
    label: 'Code size D',
    urlKey: 'codedim',
    default: 16,
    min: 1,
    max: 64,
    integer: true,
    effect: 'model',
    section: 'model',
    hint: "Dimensions of each code (and of the encoder's output at each position)",
  }),
  commitment: rangeSetting({
    label: 'Commitment β_c',
    urlKey: 'commit',
    default: 0.25,
    min: 0,
    max: 10,
    section: 'objective',
    hint: "Weight of β_c‖z_e − sg[e]‖², which keeps the encoder's outputs near their codes (0.25 in van den Oord et al.)",
  }),
  codebookUpdate: choiceSetting<CodebookUpdate>({
    label: 'Codebook updates',
    urlKey: 'vqupdate',
    default: 'gradient',
    section: 'model',
    options: [
      { value: 'gradient', label: 'by gradient (codebook term)' },
      { value: 'ema', label: 'by EMA of assigned outputs' },
    ],
    hint: 'Gradient: Adam moves the codes by ‖sg[z_e] − e‖². EMA: each code becomes the running mean of the encoder outputs assigned to it',
  }),
  emaDecay: rangeSetting({
    label: 'EMA decay',
    urlKey: 'decay',
    default: 0.99,
    min: 0.5,
    max: 0.9999,
    section: 'objective',
    requires: { key: 'codebookUpdate', oneOf: ['ema'] },
    hint: 'γ of the EMA codebook updates: N ← γN + (1 − γ)n, m ← γm + (1 − γ)Σz_e, e = m / N',
  }),
  restartDeadCodes: choiceSetting<string>({
    label: 'Restart dead codes',
    urlKey: 'restart',
    default: 'off',
    effect: 'live',
    section: 'objective',
    options: [
      { value: 'off', label: 'off' },
      { value: 'on', label: 'on' },
    ],
    hint: 'Every 100 steps, codes no position chose in those steps move onto encoder outputs of the latest batch',
  }),
} as const satisfies SettingSpecs;

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
  panels: ['lossCurves', 'codebook', 'codeUsage', 'codeGrid', 'codePriors', 'anomalyDetection'],
  usesLabels: false,
} as const satisfies FamilyDescriptor;

export const FAMILIES = { vae: VAE, cvae: CVAE, m2: M2, vqvae: VQVAE } as const satisfies Record<string, FamilyDescriptor>;
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
