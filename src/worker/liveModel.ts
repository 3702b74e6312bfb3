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
import type { TrainerState } from '../core/training/trainerState';
import { Batcher, Rng, type BatcherState } from '../data/rng';
import type { WorkerEventOf } from './protocol';

export interface LiveModel {
  trainer: Trainer;
  batcher: Batcher;
  /** Epochs completed before the current batcher (the batch size may change mid-run). */
  epochOffset: number;
  /** Batches carry labels (the family uses them). */
  usesLabels: boolean;
}

export interface Restart {
  weights: NamedWeight[];
  step: number;
}

/** A saved run (a model file): the trainer's whole state and, when it still fits, the batch order. */
export interface SavedRun {
  trainer: TrainerState;
  batcher: { state: BatcherState; order: Int32Array; epochOffset: number } | null;
  /** The epochs the run had completed (kept on the epoch counter when the batch order starts afresh). */
  epoch: number;
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
  };
}

/**
 * A model that goes on exactly where a saved run stopped: the same weights, optimiser moments and
 * steps, noise stream and batch order, so its next loss is the one the saved run would have had.
 * Throws (freeing what it built) when the state does not fit the configuration. A batch order
 * that does not fit the training set (null) starts afresh, as after a change of batch size.
 */
export function restoreLiveModel(config: ModelConfig, training: TrainingConfig, trainCount: number, saved: SavedRun): LiveModel {
  const trainer = new Trainer(config, training, new Rng(config.seed));
  try {
    trainer.importState(saved.trainer);
    trainer.saveCheckpoint();
    const fits = saved.batcher !== null && saved.batcher.state.count === trainCount && saved.batcher.state.batchSize === Math.min(training.batchSize, trainCount);
    const batcher = fits && saved.batcher ? Batcher.restore(saved.batcher.state, saved.batcher.order) : new Batcher(trainCount, training.batchSize, config.seed + 1 + saved.trainer.step);
    return { trainer, batcher, epochOffset: fits && saved.batcher ? saved.batcher.epochOffset : Math.floor(saved.epoch), usesLabels: FAMILIES[config.family].usesLabels };
  } catch (error) {
    trainer.dispose();
    throw error;
  }
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
