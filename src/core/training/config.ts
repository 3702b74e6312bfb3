/**
 * Hyper-parameters that can change between steps without rebuilding the model, their defaults,
 * and the objective of a given step that they resolve to.
 */
import type { ObjectiveKind } from '../objective/catalog';
import { betaObjective, type ObjectiveSpec } from '../objective/gaussianObjective';
import { capacityAt, klWeightAt, type KlSchedule } from '../objective/schedules';
import type { FamilyOptions } from '../models/config';

/**
 * The fastest learning rate at which every model family trains (tests/unit/families checks each
 * family at it; on MNIST the MLP VAE trains at it with either likelihood, any batch size). Faster
 * is allowed, with a warning: the divergence watch pauses a run that blows up.
 */
export const TRAINABLE_LEARNING_RATE = 0.01;

/**
 * The last five are optional; resolveTrainingConfig fills them with DEFAULT_TRAINING_EXTRAS: a
 * constant schedule, no free bits, the plain VAE objective, no family options, an unknown data set size.
 */
export interface TrainingConfig {
  /** Weight of the KL term: loss = reconstruction NLL + β · KL (the schedule's final weight). */
  beta: number;
  learningRate: number;
  batchSize: number;
  /** How the KL weight moves with the step (default constant β). */
  klSchedule?: KlSchedule;
  /** Free bits λ in nats per latent dimension: the penalty is Σ_d max(λ, KL_d); 0 = off. */
  freeBits?: number;
  /** Which objective to minimise (default 'vae'). */
  objective?: ObjectiveKind;
  /** The family's own live settings (catalog.ts), by key. */
  options?: FamilyOptions;
  /** The number of training images (the N of the KL decomposition's estimator); 0: unknown, a batch stands for itself. */
  datasetSize?: number;
}

/** A TrainingConfig with every default applied (what Trainer.config returns). */
export type ResolvedTrainingConfig = Required<TrainingConfig>;

/** The training extras every existing caller leaves out: constant β, no free bits, a plain VAE. */
export const DEFAULT_TRAINING_EXTRAS: Readonly<Pick<ResolvedTrainingConfig, 'klSchedule' | 'freeBits' | 'objective' | 'options' | 'datasetSize'>> = Object.freeze({
  klSchedule: Object.freeze({ kind: 'constant' }) as KlSchedule,
  freeBits: 0,
  objective: 'vae',
  options: Object.freeze({}),
  datasetSize: 0,
});

/** A TrainingConfig with every optional field filled in (the only place defaults are applied). */
export function resolveTrainingConfig(config: TrainingConfig): ResolvedTrainingConfig {
  return {
    beta: config.beta,
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    klSchedule: { ...(config.klSchedule ?? DEFAULT_TRAINING_EXTRAS.klSchedule) },
    freeBits: config.freeBits ?? DEFAULT_TRAINING_EXTRAS.freeBits,
    objective: config.objective ?? DEFAULT_TRAINING_EXTRAS.objective,
    options: { ...(config.options ?? DEFAULT_TRAINING_EXTRAS.options) },
    datasetSize: config.datasetSize ?? DEFAULT_TRAINING_EXTRAS.datasetSize,
  };
}

/** A numeric family option, 0 when absent. */
function numberOption(options: FamilyOptions, key: string): number {
  const v = options[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * The objective at step t (the number of steps already taken), from the schedule and settings;
 * the VAE's own options add InfoVAE's MMD weight and the decoder's context dropout.
 */
export function objectiveAt(training: ResolvedTrainingConfig, step: number): ObjectiveSpec {
  const { objective, klSchedule, beta, freeBits, datasetSize, options } = training;
  const extras: Pick<ObjectiveSpec, 'mmdWeight' | 'contextDropout'> = {};
  const dropout = numberOption(options, 'contextDropout');
  if (dropout > 0) extras.contextDropout = dropout;
  if (options.vaeObjective === 'infovae' && objective === 'vae') extras.mmdWeight = numberOption(options, 'mmdWeight');
  if (objective === 'autoencoder') return { kind: objective, klWeight: 0, capacity: null, freeBits, datasetSize, options, ...extras };
  // β-TCVAE weights the total correlation by β(t) and has no KL target: under capacity annealing it takes β itself
  if (objective === 'tcvae') return { kind: objective, klWeight: klSchedule.kind === 'capacity' ? beta : klWeightAt(klSchedule, beta, step), capacity: null, freeBits, datasetSize, options, ...extras };
  return { kind: objective, klWeight: klWeightAt(klSchedule, beta, step), capacity: capacityAt(klSchedule, step), freeBits, datasetSize, options, ...extras };
}

/** The plain −ELBO (β = 1) that evaluation and scoring report, with the training set's size for the KL decomposition. */
export function evaluationObjective(training: Pick<ResolvedTrainingConfig, 'datasetSize' | 'options'>): ObjectiveSpec {
  return { ...betaObjective(1), datasetSize: training.datasetSize, options: training.options };
}
