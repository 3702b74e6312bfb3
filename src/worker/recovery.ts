/**
 * When training goes wrong, the model is not lost. Every report is judged (divergence.ts): a NaN,
 * an explosion or weights beyond bounds pause training and restore the last checkpoint, and
 * checkpoints are only taken at sane reports with sane weights. Every few hundred steps a copy of
 * the weights leaves the device: the page keeps it (a crashed worker restarts from it), and on
 * WebGL the worker keeps it too (a lost context takes every tensor with it).
 */
import type { NamedWeight } from '../core/io/weights';
import type { TrainingConfig } from '../core/training/config';
import type { TrainingMetrics } from '../core/training/trainer';
import { DivergenceWatch, firstReportCeiling, isDiverged, judgeWeights, type DivergedVerdict } from './divergence';
import { createLiveModel, disposeLiveModel, epochPosition, type LiveModel, type Restart } from './liveModel';
import type { ResidentData } from './residentData';
import { WEIGHT_COPY_EVERY } from './protocol';

/** The last sane weights are saved at most this many steps apart (a copy of weights and Adam moments). */
export const CHECKPOINT_EVERY = 100;
/** A copy of the weights leaves the device at most this many steps apart (a multiple of CHECKPOINT_EVERY). */
export const BACKUP_EVERY = WEIGHT_COPY_EVERY;

/** A copy of the weights off the device, with where the run was. */
export interface WeightCopy extends Restart {
  epoch: number;
}

export interface RecoveryHooks {
  /** A new copy of the weights (posted to the page). */
  onCopy(copy: WeightCopy): void;
}

/** The recovery bookkeeping of one model in training. */
export class Recovery {
  private readonly watch = new DivergenceWatch();
  private lastCheckpointStep = 0;
  private lastCopyStep = 0;
  private copy: WeightCopy | null = null;

  constructor(private readonly hooks: RecoveryHooks) {}

  /** The last copy of the weights taken off the device. */
  get latestCopy(): WeightCopy | null {
    return this.copy;
  }

  /** A new model (or one rebuilt at `step` from copied weights): nothing seen yet. */
  startModel(step = 0): void {
    this.watch.clear();
    this.lastCheckpointStep = step;
    this.lastCopyStep = step;
    this.copy = null;
  }

  /** The objective's definition changed (β, schedule, free bits, objective, family options). */
  objectiveChanged(): void {
    this.watch.objectiveChanged();
  }

  /**
   * Judge a report; when it is sane and a checkpoint is due, check the weights and save one (and,
   * when due, copy the weights off the device). The divergence, or null.
   */
  async afterReport(model: LiveModel, metrics: TrainingMetrics): Promise<DivergedVerdict | null> {
    const { trainer } = model;
    const { width, height, channels } = trainer.modelConfig.imageShape;
    const verdict = this.watch.observe(trainer.step, metrics, firstReportCeiling(width * height * channels));
    if (isDiverged(verdict)) return verdict;
    if (verdict.kind !== 'sane' || trainer.step - this.lastCheckpointStep < CHECKPOINT_EVERY) return null;
    const weights = judgeWeights(await trainer.weightStats());
    if (isDiverged(weights)) return weights;
    trainer.saveCheckpoint();
    this.lastCheckpointStep = trainer.step;
    if (trainer.step - this.lastCopyStep >= BACKUP_EVERY) await this.copyNow(model);
    return null;
  }

  /** The last checkpoint was restored: what was seen after it is forgotten. */
  restored(step: number): void {
    this.watch.rewindTo(step);
    this.lastCheckpointStep = step;
    this.lastCopyStep = Math.min(this.lastCopyStep, step);
  }

  /** Copy the weights off the device now (a loaded model's, at once). */
  async copyNow(model: LiveModel): Promise<void> {
    const weights: NamedWeight[] = await model.trainer.exportWeights();
    this.copy = { step: model.trainer.step, epoch: Math.floor(epochPosition(model).epoch), weights };
    this.lastCopyStep = model.trainer.step;
    this.hooks.onCopy(this.copy);
  }
}

/** Settings whose change redefines the objective (its scale may jump); a learning rate or batch size does not. */
export function objectiveDiffers(a: TrainingConfig, b: TrainingConfig): boolean {
  return a.beta !== b.beta || a.freeBits !== b.freeBits || a.objective !== b.objective || JSON.stringify(a.klSchedule) !== JSON.stringify(b.klSchedule) || JSON.stringify(a.options) !== JSON.stringify(b.options);
}

/** Errors after which the worker's memory cannot be trusted (wasm heaps, array buffers). */
export function isOutOfMemory(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /out of memory|allocation failed|cannot enlarge memory|\bOOM\b|memory access out of bounds/i.test(text);
}

/**
 * The model rebuilt on a new backend after the old one lost every tensor (a lost WebGL context):
 * the data uploaded again, the weights of `copy` (none: the seed's of step 0), the batch order and
 * the epoch count going on.
 */
export function rebuildAfterLostContext(model: LiveModel, data: ResidentData, copy: Restart | undefined): LiveModel {
  const { modelConfig, config } = model.trainer;
  try {
    disposeLiveModel(model);
  } catch {
    // freeing tensors of a lost context may fail; they are gone with it
  }
  data.reupload();
  const rebuilt = createLiveModel(modelConfig, config, { labels: data.dataset.train.labels, holdOutClass: model.holdOutClass }, copy);
  return { ...rebuilt, batcher: model.batcher, epochOffset: model.epochOffset, labelled: model.labelled };
}
