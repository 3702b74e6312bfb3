/**
 * How well classes can be read from a model, measured on the scatter's test images each time
 * they are encoded: M2's own classifier q(y|x), or — for a family that declares the classifier
 * panel but has none (the plain VAE) — M1's read-out, a k-NN on the posterior means with the same
 * labelled training images a semi-supervised run would get (Kingma et al. 2014).
 */
import { accuracy, knnPredict } from '../core/analysis/knn';
import { FAMILIES, labelledCount } from '../core/models/catalog';
import { labelledSubset } from '../data/labelledSubset';
import type { LiveModel } from './liveModel';
import type { WorkerEventOf } from './protocol';
import type { ResidentData } from './residentData';
import { SUBSET_SEED_OFFSET } from './semiSupervision';

/** M1's neighbours. */
export const M1_NEIGHBOURS = 5;
/** At most this many labelled codes for M1's k-NN (with every label known, a class-balanced sample). */
export const M1_MAX_REFERENCES = 10_000;
const CHUNK = 500;

export interface ScatterPoints {
  images: Float32Array;
  labels: Uint8Array;
  mu: Float32Array;
  count: number;
}

export async function classifierReport(model: LiveModel, data: ResidentData, points: ScatterPoints, between: () => Promise<void>): Promise<WorkerEventOf<'classifier'> | null> {
  const { trainer } = model;
  const config = trainer.modelConfig;
  const family = FAMILIES[config.family];
  if (!(family.panels as readonly string[]).includes('classifier')) return null;
  const step = trainer.step;
  const train = data.dataset.train;
  const requested = labelledCount(trainer.config.options.labelled ?? 'all');
  // a held-out class has no labelled images (data/labelledSubset.ts)
  const held = model.holdOutClass;
  const trainable = held === null ? train.count : train.labels.reduce((n, c) => n + (c === held ? 0 : 1), 0);
  const labelled = model.labelled ? model.labelled.indices.length : Math.min(requested, trainable);
  const predicted = await trainer.classify(points.images, points.count);
  if (predicted) return { type: 'classifier', step, method: 'm2', accuracy: accuracy(predicted, points.labels), labelled, testCount: points.count };
  // M1: encode the labelled training images, then k-NN of the test points' means among theirs
  const refs = labelledSubset(train.labels, Math.min(labelled, M1_MAX_REFERENCES), data.dataset.classNames.length, config.seed + SUBSET_SEED_OFFSET, held);
  const dim = data.pixels;
  const d = config.latentDim;
  const refMu = new Float32Array(refs.length * d);
  for (let start = 0; start < refs.length; start += CHUNK) {
    const n = Math.min(CHUNK, refs.length - start);
    const images = new Float32Array(n * dim);
    for (let k = 0; k < n; k++) images.set(train.images.subarray(refs[start + k] * dim, (refs[start + k] + 1) * dim), k * dim);
    refMu.set((await trainer.encode(images, n)).mu, start * d);
    await between();
  }
  const refLabels = Uint8Array.from(refs, (i) => train.labels[i]);
  const guess = knnPredict(refMu, refLabels, refs.length, points.mu, points.count, d, M1_NEIGHBOURS);
  return { type: 'classifier', step, method: 'm1', accuracy: accuracy(guess, points.labels), labelled: refs.length, testCount: points.count };
}
