/**
 * A model in training: its trainer, the batch order over the training set, and where the run is
 * in its epochs. Built in one place, whether from fresh weights or from weights copied earlier
 * (recovery onto another backend, a restarted worker, a loaded file).
 */
import { FAMILIES } from '../core/models/catalog';
import type { ModelConfig } from '../core/models/config';
import { parameterCount } from '../core/models/family';
import type { NamedWeight } from '../core/io/weights';
import type { TrainingConfig } from '../core/training/config';
import { Trainer } from '../core/training/trainer';
import { Batcher, Rng } from '../data/rng';
import type { WorkerEventOf } from './protocol';
import type { LabelledBatches } from './semiSupervision';

export interface LiveModel {
  trainer: Trainer;
  batcher: Batcher;
  /** Epochs completed before the current batcher (the batch size may change mid-run). */
  epochOffset: number;
  /** Batches carry labels (the family uses them). */
  usesLabels: boolean;
  /** The semi-supervised families' labelled subset and its batches (null for the others). */
  labelled: LabelledBatches | null;
}

export interface Restart {
  weights: NamedWeight[];
  step: number;
}

export function createLiveModel(config: ModelConfig, training: TrainingConfig, trainCount: number, from?: Restart): LiveModel {
  // a restart draws its noise from a stream of its own (a new run from that step on)
  const trainer = new Trainer(config, training, new Rng(config.seed + (from?.step ?? 0)));
  if (from) trainer.importWeights(from.weights, from.step);
  trainer.saveCheckpoint(); // the first state is always a good one to return to
  return {
    trainer,
    batcher: new Batcher(trainCount, training.batchSize, config.seed + 1),
    epochOffset: 0,
    usesLabels: FAMILIES[config.family].usesLabels,
    labelled: null,
  };
}

/** A new batch size: the batch order starts afresh, the epochs so far are kept. */
export function changeBatchSize(model: LiveModel, batchSize: number): void {
  model.epochOffset = epochPosition(model).epoch;
  model.batcher = new Batcher(model.batcher.count, batchSize, model.trainer.modelConfig.seed + 1 + model.trainer.step);
}

export function epochPosition(model: LiveModel): { epoch: number; epochProgress: number } {
  const epochProgress = model.batcher.positionInEpoch;
  return { epoch: model.epochOffset + model.batcher.epoch + epochProgress, epochProgress };
}

export function configuredEvent(model: LiveModel, cause: WorkerEventOf<'configured'>['cause']): WorkerEventOf<'configured'> {
  const { trainer } = model;
  return { type: 'configured', model: trainer.modelConfig, training: trainer.config, parameterCount: parameterCount(trainer.model), terms: [...trainer.model.terms], cause };
}
