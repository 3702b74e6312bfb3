/**
 * The scoreSamples job: a sample-quality score for any model that samples (a Gaussian latent from
 * its prior, a VQ-VAE from a prior over its code grids, worker/codes/codePriors.ts). A small
 * classifier (core/quality/classifier.ts), trained here once per data set on its labels, gives
 * the features in which the Fréchet distance between test images and samples from the prior is
 * measured, its confidence on the samples and the share of each class among them (a collapse onto
 * a few modes shows there); beside it the samples' sharpness over the test images'. The classifier
 * and the test images' summary are kept for the next score of any model on the same data set.
 */
import { SampleClassifier } from '../../core/quality/classifier';
import { compareSummaries, summariseImages, type ImageSetSummary } from '../../core/quality/summary';
import type { PriorComponentValues } from '../../core/training/trainer';
import type { Dataset } from '../../data/dataset';
import { Batcher, Rng } from '../../data/rng';
import type { JobContext } from '../jobs';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';
import { codeGridsForScore } from '../codes/codePriors';
import * as tf from '../../core/tf';

type ScoreCommand = Extract<WorkerCommand, { type: 'scoreSamples' }>;

/** Adam steps of the classifier (batch 128): ≈ 98–99% on MNIST's test set. */
export const CLASSIFIER_STEPS = 1500;
const CLASSIFIER_BATCH = 128;
const CLASSIFIER_SEED = 17;
const SAMPLE_SEED = 2024;
const CHUNK = 500;

interface Trained {
  dataset: Dataset;
  steps: number;
  classifier: SampleClassifier;
  accuracy: number;
  reference: ImageSetSummary;
}

/** The classifier of the data set in use (trained on first use), and the test images' summary. */
export class QualityClassifiers {
  private trained: Trained | null = null;

  async get(data: ResidentData, count: number, steps: number, context: JobContext): Promise<Trained> {
    const t = this.trained;
    if (t && t.dataset === data.dataset && t.steps === steps && t.reference.count === count) return t;
    this.dispose();
    const dataset = data.dataset;
    const classes = dataset.classNames.length;
    if (classes < 2) throw new Error(`the sample-quality score needs a data set with at least two classes; ${dataset.name} has ${classes}`);
    const classifier = new SampleClassifier(dataset.shape, classes, new Rng(CLASSIFIER_SEED));
    try {
      const batcher = new Batcher(dataset.train.count, CLASSIFIER_BATCH, CLASSIFIER_SEED);
      for (let step = 0; step < steps; step++) {
        const batch = data.batch(batcher.nextBatch(), true);
        try {
          classifier.trainStep(batch.x, batch.labels as tf.Tensor1D);
        } finally {
          tf.dispose([batch.x, batch.labels as tf.Tensor1D]);
        }
        if (step % 10 === 9) await context.checkpoint(step + 1, steps, 'training the classifier');
      }
      const accuracy = await testAccuracy(classifier, dataset, data.pixels, context);
      const reference = await summariseImages(classifier, dataset.test.images, Math.min(count, dataset.test.count), dataset.shape, {
        chunk: CHUNK,
        betweenChunks: (done, total) => context.checkpoint(done, total, 'test images'),
      });
      this.trained = { dataset, steps, classifier, accuracy, reference };
      return this.trained;
    } catch (error) {
      classifier.dispose();
      throw error;
    }
  }

  dispose(): void {
    this.trained?.classifier.dispose();
    this.trained = null;
  }
}

async function testAccuracy(classifier: SampleClassifier, dataset: Dataset, pixels: number, context: JobContext): Promise<number> {
  const test = dataset.test;
  let correct = 0;
  for (let start = 0; start < test.count; start += CHUNK) {
    const n = Math.min(CHUNK, test.count - start);
    const predicted = tf.tidy(() => tf.argMax(classifier.predict(tf.tensor2d(test.images.subarray(start * pixels, (start + n) * pixels), [n, pixels])).probabilities, 1));
    const values = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < n; i++) if (values[i] === test.labels[start + i]) correct += 1;
    await context.checkpoint(start + n, test.count, 'classifier accuracy');
  }
  return correct / test.count;
}

/**
 * `n` draws [n, d] from the model's prior: N(0, I), or a learned mixture's (a component k by its
 * weight, then N(μ_k, σ_k²); the VampPrior's components are its pseudo-inputs' posteriors).
 */
export function drawPrior(n: number, latentDim: number, rng: Rng, mixture: PriorComponentValues | null): Float32Array {
  const z = new Float32Array(n * latentDim);
  for (let i = 0; i < n; i++) {
    let k = -1;
    if (mixture) {
      let u = rng.next();
      k = mixture.count - 1;
      for (let j = 0; j < mixture.count; j++) {
        u -= mixture.weights[j];
        if (u <= 0) {
          k = j;
          break;
        }
      }
    }
    for (let d = 0; d < latentDim; d++) {
      const e = rng.normal();
      z[i * latentDim + d] = k < 0 ? e : mixture!.means[k * latentDim + d] + Math.exp(0.5 * mixture!.logVars[k * latentDim + d]) * e;
    }
  }
  return z;
}

/**
 * `count` samples from the model's prior, decoded to mean images (fixed draws: the same model
 * gives the same score), and what they were drawn from.
 */
async function priorSamples(model: LiveModel, data: ResidentData, count: number, context: JobContext): Promise<{ images: Float32Array; from: string }> {
  const rng = new Rng(SAMPLE_SEED);
  const classes = data.dataset.classNames.length;
  let decodeChunk: (start: number, n: number) => Promise<Float32Array>;
  let from: string;
  if (model.trainer.model.latent.kind === 'gaussian') {
    const { latentDim } = model.trainer.modelConfig;
    const mixture = await model.trainer.priorComponents();
    decodeChunk = (start, n) => {
      const labels = model.usesLabels ? Uint8Array.from({ length: n }, (_, i) => (start + i) % classes) : undefined;
      return model.trainer.decode(drawPrior(n, latentDim, rng, mixture), n, labels);
    };
    from = `${mixture ? 'the learned prior' : 'the prior N(0, I)'}${model.usesLabels ? ', each class in turn' : ''}`;
  } else {
    const grids = await codeGridsForScore(model, data, count, rng, (done, total) => context.checkpoint(done, total, 'codes of training images'));
    const positions = grids.codes.length / count;
    decodeChunk = (start, n) => model.trainer.decodeCodes(grids.codes.subarray(start * positions, (start + n) * positions), n);
    from = grids.from;
  }
  const chunks: Float32Array[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    chunks.push(await decodeChunk(start, n));
    await context.checkpoint(start + n, count, 'samples');
  }
  const pixels = chunks[0].length / Math.min(CHUNK, count);
  const images = new Float32Array(count * pixels);
  chunks.forEach((c, i) => images.set(c, i * CHUNK * pixels));
  return { images, from };
}

export async function scoreSamples(model: LiveModel, data: ResidentData, command: ScoreCommand, context: JobContext, classifiers: QualityClassifiers, now: () => number): Promise<WorkerEventOf<'sampleScore'>> {
  const started = now();
  const step = model.trainer.step;
  const trained = await classifiers.get(data, command.count, command.classifierSteps ?? CLASSIFIER_STEPS, context);
  const count = trained.reference.count;
  const { images, from } = await priorSamples(model, data, count, context);
  const samples = await summariseImages(trained.classifier, images, count, data.dataset.shape, { chunk: CHUNK, betweenChunks: (done, total) => context.checkpoint(done, total, 'scoring samples') });
  const { frechetDistance, sharpnessRatio } = compareSummaries(trained.reference, samples);
  return {
    type: 'sampleScore',
    requestId: command.requestId,
    step,
    count,
    samplesFrom: from,
    frechetDistance,
    confidence: samples.confidence,
    testConfidence: trained.reference.confidence,
    sharpnessRatio,
    classShares: samples.classShares,
    classifierAccuracy: trained.accuracy,
    classifierSteps: trained.steps,
    seconds: (now() - started) / 1000,
  };
}
