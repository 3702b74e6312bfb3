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
import { rowsWithLabel } from '../data/outliers';
import { Batcher, Rng, type BatcherState } from '../data/rng';
import type { CodePriors } from './codes/codePriors';
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
  /** The class left out of training, or null. */
  holdOutClass: number | null;
  /** The training rows the batcher's indices stand for (all but the held-out class), or null for all rows. */
  trainRows: Int32Array | null;
  /** Priors over code grids fitted for this model (discrete latents), or null before the first fit. */
  codePriors: CodePriors | null;
}

export interface Restart {
  weights: NamedWeight[];
  step: number;
  /** Whole epochs completed at that step (the epoch count goes on from there). */
  epoch?: number;
}

/** Which training rows a model trains on: all of them, or all but one class's. */
export interface TrainingRows {
  /** The training set's labels. */
  labels: Uint8Array;
  holdOutClass: number | null;
}

/** A saved run (a model file): the trainer's whole state and, when it still fits, the batch order. */
export interface SavedRun {
  trainer: TrainerState;
  batcher: { state: BatcherState; order: Int32Array; epochOffset: number } | null;
  /** The epochs the run had completed (kept on the epoch counter when the batch order starts afresh). */
  epoch: number;
}

/** The rows the batcher draws from: every training row, or all but a held-out class's. */
function chosenRows(rows: TrainingRows): Int32Array | null {
  const trainRows = rows.holdOutClass === null ? null : rowsWithLabel(rows.labels, rows.holdOutClass, false);
  if (trainRows && trainRows.length === 0) throw new Error('holding that class out leaves no training images');
  return trainRows;
}

export function createLiveModel(config: ModelConfig, training: TrainingConfig, rows: TrainingRows, from?: Restart): LiveModel {
  const trainRows = chosenRows(rows);
  const trainCount = trainRows?.length ?? rows.labels.length;
  // a restart draws its noise from a stream of its own (a new run from that step on)
  const trainer = new Trainer(config, { ...training, datasetSize: trainCount }, new Rng(config.seed + (from?.step ?? 0)));
  if (from) trainer.importWeights(from.weights, from.step);
  trainer.saveCheckpoint(); // the first state is always a good one to return to
  return {
    trainer,
    batcher: new Batcher(trainCount, training.batchSize, config.seed + 1),
    epochOffset: Math.floor(from?.epoch ?? 0),
    usesLabels: FAMILIES[config.family].usesLabels,
    labelled: null,
    holdOutClass: rows.holdOutClass,
    trainRows,
    codePriors: null,
  };
}

/**
 * A model that goes on exactly where a saved run stopped: the same weights, optimiser moments and
 * steps, noise stream and batch order, so its next loss is the one the saved run would have had.
 * Throws (freeing what it built) when the state does not fit the configuration. A batch order
 * that does not fit the training rows (null) starts afresh, as after a change of batch size.
 */
export function restoreLiveModel(config: ModelConfig, training: TrainingConfig, rows: TrainingRows, saved: SavedRun): LiveModel {
  const trainRows = chosenRows(rows);
  const trainCount = trainRows?.length ?? rows.labels.length;
  const trainer = new Trainer(config, { ...training, datasetSize: trainCount }, new Rng(config.seed));
  try {
    trainer.importState(saved.trainer);
    trainer.saveCheckpoint();
    const fits = saved.batcher !== null && saved.batcher.state.count === trainCount && saved.batcher.state.batchSize === Math.min(training.batchSize, trainCount);
    const batcher = fits && saved.batcher ? Batcher.restore(saved.batcher.state, saved.batcher.order) : new Batcher(trainCount, training.batchSize, config.seed + 1 + saved.trainer.step);
    return {
      trainer,
      batcher,
      epochOffset: fits && saved.batcher ? saved.batcher.epochOffset : Math.floor(saved.epoch),
      usesLabels: FAMILIES[config.family].usesLabels,
      labelled: null,
      holdOutClass: rows.holdOutClass,
      trainRows,
      codePriors: null,
    };
  } catch (error) {
    trainer.dispose();
    throw error;
  }
}

/** The training rows of the next batch (the batcher's indices mapped past a held-out class). */
export function nextTrainingRows(model: LiveModel): Int32Array {
  const picked = model.batcher.nextBatch();
  const rows = model.trainRows;
  return rows ? picked.map((i) => rows[i]) : picked;
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

/** Free a live model's tensors: its trainer and whatever was fitted for it. */
export function disposeLiveModel(model: LiveModel): void {
  model.codePriors?.dispose();
  model.codePriors = null;
  model.trainer.dispose();
}

export function configuredEvent(model: LiveModel, cause: WorkerEventOf<'configured'>['cause']): WorkerEventOf<'configured'> {
  const { trainer } = model;
  return { type: 'configured', model: trainer.modelConfig, training: trainer.config, parameterCount: parameterCount(trainer.model), terms: [...trainer.model.terms], cause, step: trainer.step };
}

/** The weight groups a player's step updates (null: no player, a full step); an unknown player is an error. */
export function playerGroups(model: LiveModel, player: string | undefined): readonly string[] | null {
  if (player === undefined) return null;
  const family = FAMILIES[model.trainer.modelConfig.family];
  const players = 'players' in family ? family.players : [];
  const found = players.find((p) => p.id === player);
  if (!found) throw new Error(`${family.label} has no player “${player}”${players.length ? ` (it has ${players.map((p) => p.id).join(', ')})` : ''}`);
  return found.groups;
}
