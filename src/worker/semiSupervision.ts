/**
 * The labels a semi-supervised model may see: a fixed, class-balanced subset of the training set
 * (data/labelledSubset.ts), as many as the family's Labelled examples setting says. Each step's
 * batch is the usual shuffled batch with every label hidden, followed by a batch of labelled
 * images cycled from the subset (with every label known, only the labelled batch is used).
 */
import { FAMILIES, familyOf, labelledCount } from '../core/models/catalog';
import type { Batch } from '../core/models/family';
import { labelledSubset } from '../data/labelledSubset';
import { Batcher } from '../data/rng';
import type { ResolvedTrainingConfig } from '../core/training/config';
import { nextTrainingRows, type LiveModel } from './liveModel';
import type { ResidentData } from './residentData';

/** The seed of the labelled subset, offset from the model's (so M1 and M2 pick the same images). */
export const SUBSET_SEED_OFFSET = 17;

export class LabelledBatches {
  readonly indices: Int32Array;
  private readonly batcher: Batcher;
  /** The training images the model trains on (all but a held-out class's). */
  private readonly trainCount: number;

  constructor(
    readonly setting: string,
    labels: Uint8Array,
    classCount: number,
    seed: number,
    batchSize: number,
    /** A class held out of training: none of its images is labelled (or trained on). */
    readonly heldOut: number | null = null,
  ) {
    this.trainCount = heldOut === null ? labels.length : labels.reduce((n, c) => n + (c === heldOut ? 0 : 1), 0);
    this.indices = labelledSubset(labels, labelledCount(setting), classCount, seed + SUBSET_SEED_OFFSET, heldOut);
    this.batcher = new Batcher(this.indices.length, batchSize, seed + SUBSET_SEED_OFFSET + 1);
  }

  /** Every training image (of the classes trained on) is labelled. */
  get all(): boolean {
    return this.indices.length === this.trainCount;
  }

  /** The step's batch: the shuffled indices unlabelled, then labelled images from the subset. */
  batch(data: ResidentData, shuffled: Int32Array): Batch {
    if (this.all) return { ...data.batch(shuffled, true), unlabelledCount: 0 };
    const labelled = this.batcher.nextBatch().map((k) => this.indices[k]);
    const rows = new Int32Array(shuffled.length + labelled.length);
    rows.set(shuffled);
    rows.set(labelled, shuffled.length);
    return { ...data.batch(rows, true), unlabelledCount: shuffled.length };
  }
}

/** The labelled batches of a family that has a Labelled examples setting, at the value in force. */
export function labelledBatchesFor(family: keyof typeof FAMILIES, value: unknown, data: ResidentData, seed: number, batchSize: number, heldOut: number | null = null): LabelledBatches | null {
  const key = familyOf(family).labelledExamplesSetting;
  if (!key) return null;
  const setting = String(value ?? (FAMILIES[family].settings as Record<string, { default: unknown }>)[key]?.default ?? 'all');
  const train = data.dataset.train;
  return new LabelledBatches(setting, train.labels, data.dataset.classNames.length, seed, batchSize, heldOut);
}

/** A model's labelled batches for the Labelled examples (and batch size) in force; null for a family without labels to hide. */
export function labelledBatchesOf(model: LiveModel, data: ResidentData): LabelledBatches | null {
  const { modelConfig, config } = model.trainer;
  const key = familyOf(modelConfig.family).labelledExamplesSetting;
  return key ? labelledBatchesFor(modelConfig.family, config.options[key], data, modelConfig.seed, config.batchSize, model.holdOutClass) : null;
}

/** Whether a training change asks for a new labelled subset or new labelled batches. */
export function labelsChanged(model: LiveModel, previous: ResolvedTrainingConfig): boolean {
  const key = familyOf(model.trainer.modelConfig.family).labelledExamplesSetting;
  const now = model.trainer.config;
  return !!key && (now.options[key] !== previous.options[key] || now.batchSize !== previous.batchSize);
}

/** The next training batch: the shuffled rows, with a labelled batch beside them where the model learns from labels. */
export function nextTrainingBatch(model: LiveModel, data: ResidentData): Batch {
  const rows = nextTrainingRows(model);
  return model.labelled ? model.labelled.batch(data, rows) : data.batch(rows, model.usesLabels);
}
