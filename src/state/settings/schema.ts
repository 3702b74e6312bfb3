/**
 * Every user-facing setting, declared once: the page's own (data set, model, optimiser, …) and
 * every model family's (core/models/catalog.ts), in one table. Its default, what values it
 * accepts, whether changing it needs a new model, its URL key, where its control sits and when it
 * applies all come from here; defaults, validation, the URL and the sidebar read this table.
 */
import { FAMILIES, FAMILY_IDS, familySettingSpecs, networkFor, networkOf, NETWORKS, networkSettingSpecs, type FamilyId, type NetworkId } from '../../core/models/catalog';
import { KL_SCHEDULES, LIKELIHOODS, type KlScheduleKind, type LikelihoodId, type ObjectiveKind } from '../../core/objective/catalog';
import { choiceSetting, conditionHolds, plainOptions, rangeSetting, type SettingSpec, type ValuesOf } from '../../core/settings/spec';
import { TRAINABLE_LEARNING_RATE } from '../../core/training/config';
import { DATASET_IDS, DATASETS } from '../../data/catalog';
import type { DatasetId } from '../../data/dataset';
import type { BackendChoice } from '../../worker/protocol';

/**
 * The objectives the page trains with (the comparison's autoencoder and KL-only model are its
 * own): the ELBO with β on the whole KL, β on the total correlation only, or InfoVAE, which is
 * the 'vae' kind with the MMD in place of the KL (configs.ts trainingOf).
 */
export const TRAINING_OBJECTIVES = ['vae', 'tcvae', 'infovae'] as const satisfies readonly (ObjectiveKind | 'infovae')[];
export type TrainingObjective = (typeof TRAINING_OBJECTIVES)[number];
const TRAINING_OBJECTIVE_LABELS: Record<TrainingObjective, string> = {
  vae: 'ELBO, β on the whole KL (β-VAE)',
  tcvae: 'β on the total correlation (β-TCVAE)',
  infovae: 'InfoVAE (reconstruction + λ·MMD)',
};

export const LATENT_DIM_CHOICES = [2, 3, 5, 10, 20, 32] as const;
export const BATCH_SIZE_CHOICES = [16, 32, 64, 128, 256, 512] as const;
export const BETA_RANGE = [0, 10] as const;
export const LEARNING_RATE_RANGE = [1e-5, 10] as const;
/** "Hold out class": none. */
export const NO_HOLD_OUT = -1;
/** Classes a data set may have for "Hold out class" (MNIST's and Fashion-MNIST's ten). */
const MAX_CLASSES = 10;

const BACKEND_OPTIONS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'wasm', label: 'WebAssembly (CPU)' },
  { value: 'webgl', label: 'WebGL (GPU)' },
  { value: 'cpu', label: 'Plain JavaScript' },
];

/** The page's own settings, in sidebar order within each section. */
const BASE_SETTINGS = {
  model: choiceSetting<FamilyId>({ label: 'Model', urlKey: 'model', default: 'vae', section: 'model', options: FAMILY_IDS.map((id) => ({ value: id, label: FAMILIES[id].label })) }),
  dataset: choiceSetting<DatasetId>({ label: 'Dataset', urlKey: 'data', default: 'mnist', section: 'model', options: DATASET_IDS.map((id) => ({ value: id, label: DATASETS[id].name })) }),
  network: choiceSetting<NetworkId>({ label: 'Network', urlKey: 'net', default: 'mlp', section: 'model', options: NETWORKS.map((n) => ({ value: n.id, label: n.label })) }),
  holdOutClass: choiceSetting<number>({
    label: 'Hold out class',
    urlKey: 'holdout',
    default: NO_HOLD_OUT,
    section: 'model',
    options: [{ value: NO_HOLD_OUT, label: 'none' }, ...Array.from({ length: MAX_CLASSES }, (_, i) => ({ value: i, label: String(i) }))],
    hint: 'Train without one class: the model never sees it, and Anomaly detection scores it as an out-of-distribution set',
  }),
  latentDim: choiceSetting<number>({ label: 'Latent dimensions', urlKey: 'z', default: 2, section: 'model', options: plainOptions<number>(LATENT_DIM_CHOICES) }),
  hiddenDim: rangeSetting({ label: 'Hidden units', urlKey: 'hidden', default: 400, min: 16, max: 1024, integer: true, effect: 'model', section: 'advanced', hint: "Width of the encoder's and decoder's hidden layer" }),
  likelihood: choiceSetting<LikelihoodId>({ label: 'Likelihood', urlKey: 'lik', default: 'bernoulli', section: 'model', options: LIKELIHOODS.map((l) => ({ value: l.id, label: l.label })) }),
  seed: rangeSetting({ label: 'Seed', urlKey: 'seed', default: 1, min: 0, max: 1_000_000, integer: true, effect: 'model', section: 'advanced', hint: 'Weights, batches and noise are drawn from this seed' }),
  beta: rangeSetting({
    label: 'β (KL weight)',
    urlKey: 'beta',
    default: 1,
    min: BETA_RANGE[0],
    max: BETA_RANGE[1],
    section: 'objective',
    hint: 'loss = reconstruction + β·KL. β > 1 pulls q(z|x) toward the prior (smoother latent space, blurrier images); β < 1 lets it drift away.',
  }),
  objective: choiceSetting<TrainingObjective>({
    label: 'Training objective',
    urlKey: 'obj',
    default: 'vae',
    effect: 'live',
    section: 'objective',
    options: TRAINING_OBJECTIVES.map((id) => ({ value: id, label: TRAINING_OBJECTIVE_LABELS[id] })),
    hint: 'β-VAE weights the whole KL by β; β-TCVAE (Chen et al. 2018) weights only its total correlation, the dependence between the latent dimensions, and the rest of the KL by 1; InfoVAE / MMD-VAE (Zhao et al. 2017) replaces the KL per image by λ·MMD between the batch of codes and prior samples',
  }),
  klSchedule: choiceSetting<KlScheduleKind>({ label: 'KL schedule', urlKey: 'sched', default: 'constant', effect: 'live', section: 'objective', options: KL_SCHEDULES.map((k) => ({ value: k.id, label: k.label })) }),
  warmupSteps: rangeSetting({ label: 'Warm-up steps', urlKey: 'warm', default: 2000, min: 1, max: 1_000_000, integer: true, section: 'objective', hint: 'Steps over which the KL weight rises from 0 to β' }),
  cycles: rangeSetting({ label: 'Cycles', urlKey: 'cycles', default: 4, min: 1, max: 100, integer: true, section: 'objective', hint: 'M cycles of 0 → β' }),
  cycleRamp: rangeSetting({ label: 'Ramp fraction', urlKey: 'ramp', default: 0.5, min: 0.05, max: 1, section: 'objective', hint: 'Fraction R of each cycle spent ramping; β for the rest' }),
  cycleSteps: rangeSetting({ label: 'Steps of all cycles', urlKey: 'cyclen', default: 8000, min: 1, max: 10_000_000, integer: true, section: 'objective', hint: 'After these steps the weight stays at β' }),
  capacityMax: rangeSetting({ label: 'Capacity C_max (nats)', urlKey: 'cmax', default: 25, min: 0, max: 1000, section: 'objective', hint: 'The KL target rises from 0 to C_max' }),
  capacitySteps: rangeSetting({ label: 'Capacity steps', urlKey: 'csteps', default: 10_000, min: 1, max: 10_000_000, integer: true, section: 'objective', hint: 'Steps over which C rises' }),
  gamma: rangeSetting({ label: 'γ (capacity weight)', urlKey: 'gamma', default: 1000, min: 0, max: 100_000, section: 'objective', hint: 'loss = reconstruction + γ·|KL − C|; β is not used' }),
  freeBits: rangeSetting({ label: 'Free bits λ (nats)', urlKey: 'fb', default: 0, min: 0, max: 10, section: 'objective', hint: "Each latent dimension's KL is penalised as max(λ, KL): no push below λ nats (Kingma et al. 2016)" }),
  learningRate: rangeSetting({
    label: 'Learning rate',
    urlKey: 'lr',
    default: 1e-3,
    min: LEARNING_RATE_RANGE[0],
    max: LEARNING_RATE_RANGE[1],
    positive: true,
    section: 'optimiser',
    hint: `Adam's step size, 0.00001 to 10; every model trains up to ${TRAINABLE_LEARNING_RATE}`,
    cautionAbove: {
      value: TRAINABLE_LEARNING_RATE,
      why: 'the fastest rate at which every model trains here. Faster runs may blow up; if one does, it is paused and its last sane weights are restored',
    },
  }),
  batchSize: choiceSetting<number>({ label: 'Batch size', urlKey: 'batch', default: 128, effect: 'live', section: 'optimiser', options: plainOptions<number>(BATCH_SIZE_CHOICES) }),
  comparisonSteps: rangeSetting({
    label: 'Comparison steps per model',
    urlKey: 'cmp',
    default: 1200,
    min: 20,
    max: 100_000,
    integer: true,
    section: 'advanced',
    hint: 'Training steps of each model in the autoencoder / KL-only / VAE comparison',
  }),
  backend: choiceSetting<BackendChoice>({ label: 'Backend', urlKey: 'backend', default: 'auto', effect: 'reload', section: 'advanced', options: BACKEND_OPTIONS }),
} as const;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The values of every family's own settings (each family's settings object, merged). */
export type FamilySettings = UnionToIntersection<ValuesOf<(typeof FAMILIES)[FamilyId]['settings']>>;

/** The values of every network's own settings (each network's settings object, merged). */
export type NetworkSettings = UnionToIntersection<ValuesOf<(typeof NETWORKS)[number]['settings']>>;

export type Settings = ValuesOf<typeof BASE_SETTINGS> & FamilySettings & NetworkSettings;
export type SettingKey = keyof Settings;

export const SETTINGS = { ...BASE_SETTINGS, ...networkSettingSpecs(), ...familySettingSpecs() } as unknown as { readonly [K in SettingKey]: SettingSpec<Settings[K]> };
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

const GAUSSIAN_ONLY: readonly SettingKey[] = ['latentDim', 'beta', 'objective', 'klSchedule', 'freeBits'];
const SCHEDULE_PARAMETERS: Partial<Record<SettingKey, KlScheduleKind>> = {
  warmupSteps: 'linear',
  cycles: 'cyclical',
  cycleRamp: 'cyclical',
  cycleSteps: 'cyclical',
  capacityMax: 'capacity',
  capacitySteps: 'capacity',
  gamma: 'capacity',
};

/**
 * Whether a setting means anything for the settings in force: a family's own settings for that
 * family, the Gaussian latent's for families that have one, a schedule's parameters under that
 * schedule, the MLP's width for the MLP, a network's own settings (the conv net's channels) for
 * that network, the network choice where a family offers more than one; a setting that requires
 * another's value (Components: a mixture prior) only under that value.
 */
export function settingApplies(key: SettingKey, s: Settings): boolean {
  const family = FAMILIES[s.model];
  if (key in familySettingSpecs()) {
    if (!(key in family.settings) || !conditionHolds(SETTINGS[key], s as unknown as Record<string, unknown>)) return false;
    // the decoder's context exists only for the autoregressive decoder; λ only under InfoVAE
    if (key === 'contextDropout') return s.decoder === 'made';
    if (key === 'mmdWeight') return s.objective === 'infovae';
    return true;
  }
  if (key in networkSettingSpecs()) return key in networkOf(networkInForce(s)).settings;
  // free bits floor each dimension's KL: a mixture prior's one-sample KL has no dimensions to floor
  if (key === 'freeBits' && 'prior' in family.settings && s.prior !== 'standard') return false;
  if (GAUSSIAN_ONLY.includes(key)) return family.latentKind === 'gaussian';
  const schedule = SCHEDULE_PARAMETERS[key];
  if (schedule) return family.latentKind === 'gaussian' && s.klSchedule === schedule;
  if (key === 'network') return family.networks.length > 1;
  if (key === 'hiddenDim') return networkInForce(s) === 'mlp';
  if (key === 'holdOutClass') return DATASETS[s.dataset].classCount > 1;
  return true;
}

/** The network the model is built with: the chosen one if the family offers it, else the family's first (an old link). */
export function networkInForce(s: Pick<Settings, 'model' | 'network'>): NetworkId {
  return networkFor(FAMILIES[s.model], s.network);
}
