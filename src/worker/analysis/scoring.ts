/**
 * The scoreSets job: per-example scores (each declared term and the −ELBO) of the test set and of
 * out-of-distribution sets (data/outliers.ts), in slices that yield to training, and the test
 * images the model finds most and least typical. Another data set's test split is downloaded
 * once and kept (plain arrays, no tensors).
 */
import { extremes } from '../../core/analysis/roc';
import type { DatasetId, ImageSplit } from '../../data/dataset';
import { invertedImages, otherDatasetOf, outlierSetLabel, pickRows, rowsWithLabel, uniformNoiseImages, type OutlierSetId } from '../../data/outliers';
import type { JobContext } from '../jobs';
import type { LiveModel } from '../liveModel';
import type { ScoredImages, ScoredSet, WorkerCommand, WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';

type ScoreCommand = Extract<WorkerCommand, { type: 'scoreSets' }>;

/** Images scored per slice (the worker answers messages and trains between slices). */
const SLICE = 500;
const SCORE_SEED = 1234;
const NOISE_SEED = 99;
/** Most and least typical test images returned. */
const TYPICAL = 8;

export type TestSplitLoader = (id: DatasetId, onProgress: (loadedBytes: number, totalBytes: number, stage: string) => void) => Promise<ImageSplit>;

/** Other data sets' test splits, downloaded once. */
export class OtherData {
  private readonly splits = new Map<DatasetId, Promise<ImageSplit>>();

  constructor(private readonly load: TestSplitLoader | undefined) {}

  get available(): boolean {
    return this.load !== undefined;
  }

  get(id: DatasetId, onProgress: (loadedBytes: number, totalBytes: number, stage: string) => void): Promise<ImageSplit> {
    if (!this.load) return Promise.reject(new Error('no loader for other data sets'));
    let split = this.splits.get(id);
    if (!split) {
      split = this.load(id, onProgress);
      this.splits.set(id, split);
      // a failed download may be retried later
      split.catch(() => this.splits.delete(id));
    }
    return split;
  }
}

interface PendingSet {
  id: ScoredSet['id'];
  label: string;
  images: Float32Array;
  count: number;
  labels?: Uint8Array;
}

export async function scoreSets(model: LiveModel, data: ResidentData, command: ScoreCommand, context: JobContext, other: OtherData): Promise<WorkerEventOf<'setScores'>> {
  const { trainer } = model;
  const { dataset } = data;
  const pixels = data.pixels;
  const test = dataset.test;
  const held = model.holdOutClass;
  const inRows = held === null ? Int32Array.from({ length: test.count }, (_, i) => i) : rowsWithLabel(test.labels, held, false);
  const inImages = pickRows(test.images, pixels, inRows);
  const inLabels = Uint8Array.from(inRows, (i) => test.labels[i]);
  const sets: PendingSet[] = [{ id: 'test', label: `${dataset.name} test set`, images: inImages, count: inRows.length, labels: inLabels }];
  const skipped: WorkerEventOf<'setScores'>['skipped'] = [];
  const skip = (id: OutlierSetId, reason: string) => skipped.push({ id, reason });
  const perSet = command.perSet;
  for (const id of command.sets) {
    const label = outlierSetLabel(id, dataset.id, held === null ? undefined : dataset.classNames[held]);
    if (model.usesLabels && (id === 'noise' || id === 'other-data')) {
      skip(id, 'a model that needs labels has none for these images');
      continue;
    }
    switch (id) {
      case 'held-out': {
        if (held === null) {
          skip(id, 'no class was held out of training (the setting “Hold out class”)');
          break;
        }
        const rows = rowsWithLabel(test.labels, held, true).slice(0, perSet);
        sets.push({ id, label, images: pickRows(test.images, pixels, rows), count: rows.length, labels: Uint8Array.from(rows, (i) => test.labels[i]) });
        break;
      }
      case 'inverted': {
        const n = Math.min(perSet, inRows.length);
        sets.push({ id, label, images: invertedImages(inImages, n, pixels), count: n, labels: inLabels.slice(0, n) });
        break;
      }
      case 'noise':
        sets.push({ id, label, images: uniformNoiseImages(perSet, pixels, NOISE_SEED), count: perSet });
        break;
      case 'other-data': {
        const otherId = otherDatasetOf(dataset.id);
        if (!otherId || !other.available) {
          skip(id, `no other data set has ${dataset.name}’s image size`);
          break;
        }
        await context.checkpoint(0, 1, `loading ${label}`);
        const split = await other.get(otherId, (loaded, totalBytes) => context.report(loaded, totalBytes, `downloading ${label}`));
        await context.checkpoint(1, 1, `loaded ${label}`);
        const n = Math.min(perSet, split.count);
        sets.push({ id, label, images: split.images.subarray(0, n * pixels), count: n });
        break;
      }
    }
  }

  const total = sets.reduce((s, set) => s + set.count, 0);
  let done = 0;
  const scored: ScoredSet[] = [];
  for (const set of sets) {
    const terms = Object.fromEntries(trainer.model.terms.map((t) => [t.id, new Float32Array(set.count)]));
    const negativeElbo = new Float32Array(set.count);
    for (let start = 0; start < set.count; start += SLICE) {
      const n = Math.min(SLICE, set.count - start);
      const labels = model.usesLabels ? set.labels?.subarray(start, start + n) : undefined;
      const part = await trainer.scoreExamples(set.images.subarray(start * pixels, (start + n) * pixels), n, SLICE, SCORE_SEED + start, labels);
      for (const t of trainer.model.terms) terms[t.id].set(part.terms[t.id], start);
      negativeElbo.set(part.negativeElbo, start);
      done += n;
      await context.checkpoint(done, total, `scoring ${set.label}`);
    }
    scored.push({ id: set.id, label: set.label, count: set.count, terms, negativeElbo });
  }

  const testScores = scored[0].negativeElbo;
  const { lowest, highest } = extremes(testScores, TYPICAL);
  const pick = (order: number[]): ScoredImages => ({
    indices: Int32Array.from(order, (k) => inRows[k]),
    negativeElbo: Float32Array.from(order, (k) => testScores[k]),
    images: Uint8Array.from(pickRows(inImages, pixels, order), (v) => Math.round(v * 255)),
  });
  return { type: 'setScores', requestId: command.requestId, step: trainer.step, sets: scored, skipped, mostTypical: pick(lowest), leastTypical: pick(highest) };
}

/** Every buffer of a setScores event, for the transfer list. */
export function setScoresTransfer(event: WorkerEventOf<'setScores'>): Transferable[] {
  const buffers = new Set<ArrayBufferLike>();
  for (const set of event.sets) {
    buffers.add(set.negativeElbo.buffer);
    for (const values of Object.values(set.terms)) buffers.add(values.buffer);
  }
  for (const images of [event.mostTypical, event.leastTypical]) {
    buffers.add(images.indices.buffer);
    buffers.add(images.negativeElbo.buffer);
    buffers.add(images.images.buffer);
  }
  return [...buffers] as Transferable[];
}
