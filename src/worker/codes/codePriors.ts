/**
 * Priors over a VQ-VAE's code grids, fitted in the worker on the codes of training images as the
 * current encoder gives them: the uniform prior (the one the KL term assumes), per-position
 * frequencies (which ignore every dependency between positions) and the small autoregressive
 * prior (core/models/vq/codePrior.ts, warm-started from its last fit). The fit is a background job
 * (encode in chunks, then Adam steps, yielding to training between them); sampling draws grids and
 * decodes them with the weights of the moment.
 */
import { independentNll, positionFrequencies, sampleIndependent } from '../../core/analysis/codebook';
import { discreteLatentOf } from '../../core/models/family';
import { AutoregressivePrior } from '../../core/models/vq/codePrior';
import { Rng } from '../../data/rng';
import type { JobContext } from '../jobs';
import type { LiveModel } from '../liveModel';
import type { CodePriorKind, WorkerCommand, WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';

/** Training images encoded per slice (the worker answers messages between slices). */
const ENCODE_CHUNK = 500;
/** Grids per Adam step of the autoregressive prior, and steps between yields. */
const PRIOR_BATCH = 128;
const STEPS_PER_SLICE = 10;
/** Test grids the priors are scored on. */
const TEST_GRIDS = 1000;
const PRIOR_LEARNING_RATE = 2e-3;

/** The fitted priors of one live model (disposed with it). */
export class CodePriors {
  independent: Float32Array | null = null;
  autoregressive: AutoregressivePrior | null = null;
  /** The step of the weights they were fitted for (−1: never). */
  fittedAt = -1;

  dispose(): void {
    this.autoregressive?.dispose();
    this.autoregressive = null;
  }
}

type FitCommand = Extract<WorkerCommand, { type: 'fitCodePriors' }>;
type SampleCommand = Extract<WorkerCommand, { type: 'sampleCodes' }>;

/** Code grids of `count` images starting at row `from` of a split, in slices. */
async function encodeRows(model: LiveModel, images: Float32Array, pixels: number, count: number, between: (done: number) => Promise<void>): Promise<Int32Array> {
  const latent = discreteLatentOf(model.trainer.model, 'a prior over codes');
  const positions = latent.grid[0] * latent.grid[1];
  const codes = new Int32Array(count * positions);
  for (let start = 0; start < count; start += ENCODE_CHUNK) {
    const n = Math.min(ENCODE_CHUNK, count - start);
    codes.set(await model.trainer.encodeCodes(images.subarray(start * pixels, (start + n) * pixels), n), start * positions);
    await between(start + n);
  }
  return codes;
}

export async function fitCodePriors(model: LiveModel, data: ResidentData, command: FitCommand, context: JobContext, now: () => number): Promise<WorkerEventOf<'codePriorsFitted'>> {
  const started = now();
  const latent = discreteLatentOf(model.trainer.model, 'a prior over codes');
  const K = latent.codebookSize;
  const positions = latent.grid[0] * latent.grid[1];
  const pixels = data.pixels;
  const step = model.trainer.step;
  const { train, test } = data.dataset;
  // a seeded choice of training images, the same for every fit of this model
  const count = Math.min(command.images, train.count);
  const rows = new Int32Array(train.count).map((_, i) => i);
  new Rng(model.trainer.modelConfig.seed + 17).shuffleInPlace(rows);
  const picked = new Float32Array(count * pixels);
  rows.subarray(0, count).forEach((row, k) => picked.set(train.images.subarray(row * pixels, (row + 1) * pixels), k * pixels));
  const testCount = Math.min(TEST_GRIDS, test.count);
  const total = count + testCount + command.steps;
  const trainCodes = await encodeRows(model, picked, pixels, count, (done) => context.checkpoint(done, total, 'encoding training images'));
  const testCodes = await encodeRows(model, test.images.subarray(0, testCount * pixels), pixels, testCount, (done) => context.checkpoint(count + done, total, 'encoding test images'));

  const priors = (model.codePriors ??= new CodePriors());
  priors.independent = positionFrequencies(trainCodes, count, positions, K);
  const sameShape = priors.autoregressive?.shape.codebookSize === K && priors.autoregressive.shape.positions === positions;
  if (!sameShape) {
    priors.autoregressive?.dispose();
    priors.autoregressive = new AutoregressivePrior(K, positions, new Rng(model.trainer.modelConfig.seed + 23), PRIOR_LEARNING_RATE);
  }
  const prior = priors.autoregressive as AutoregressivePrior;
  const order = new Rng(step + 29);
  const batch = new Int32Array(PRIOR_BATCH * positions);
  for (let s = 0; s < command.steps; s++) {
    const n = Math.min(PRIOR_BATCH, count);
    for (let g = 0; g < n; g++) {
      const row = Math.floor(order.next() * count);
      batch.set(trainCodes.subarray(row * positions, (row + 1) * positions), g * positions);
    }
    prior.trainStep(batch.subarray(0, n * positions), n).dispose();
    if ((s + 1) % STEPS_PER_SLICE === 0 || s + 1 === command.steps) await context.checkpoint(count + testCount + s + 1, total, 'training the autoregressive prior');
  }
  priors.fittedAt = step;
  return {
    type: 'codePriorsFitted',
    requestId: command.requestId,
    step,
    trainImages: count,
    steps: command.steps,
    testNll: {
      uniform: positions * Math.log(K),
      independent: independentNll(priors.independent, testCodes, testCount, positions, K),
      autoregressive: await prior.meanNll(testCodes, testCount),
    },
    seconds: (now() - started) / 1000,
  };
}

/** Draw code grids from a prior and decode them. The fitted priors need a fit first. */
export async function sampleCodes(model: LiveModel, command: SampleCommand): Promise<WorkerEventOf<'codeSamples'>> {
  const latent = discreteLatentOf(model.trainer.model, 'sampling code grids');
  const K = latent.codebookSize;
  const positions = latent.grid[0] * latent.grid[1];
  const rng = new Rng(command.seed);
  const priors = model.codePriors;
  const kind: CodePriorKind = command.prior;
  let codes: Int32Array;
  if (kind === 'uniform') {
    codes = Int32Array.from({ length: command.count * positions }, () => Math.floor(rng.next() * K));
  } else if (kind === 'independent') {
    if (!priors?.independent) throw new Error('the per-position frequencies are not fitted yet: fit the priors first');
    codes = sampleIndependent(priors.independent, positions, K, command.count, rng);
  } else {
    if (!priors?.autoregressive) throw new Error('the autoregressive prior is not trained yet: fit the priors first');
    codes = await priors.autoregressive.sample(command.count, rng);
  }
  const images = await model.trainer.decodeCodes(codes, command.count);
  return { type: 'codeSamples', requestId: command.requestId, step: model.trainer.step, prior: kind, count: command.count, codes, images };
}

/** Training images whose codes give the per-position frequencies when no prior over codes is fitted. */
const SCORE_FREQUENCY_IMAGES = 2000;

/**
 * `count` code grids to score the VQ-VAE's samples by (Score samples): from the autoregressive
 * prior when one is fitted, else from the per-position frequencies of the first training images'
 * codes, with what they came from in words.
 */
export async function codeGridsForScore(model: LiveModel, data: ResidentData, count: number, rng: Rng, between: (done: number, total: number) => Promise<void>): Promise<{ codes: Int32Array; from: string }> {
  const latent = discreteLatentOf(model.trainer.model, 'scoring samples');
  const K = latent.codebookSize;
  const positions = latent.grid[0] * latent.grid[1];
  const fitted = model.codePriors;
  if (fitted?.autoregressive && fitted.fittedAt >= 0) {
    return { codes: await fitted.autoregressive.sample(count, rng), from: `the autoregressive prior over codes (fitted at step ${fitted.fittedAt.toLocaleString('en-US')})` };
  }
  const n = Math.min(SCORE_FREQUENCY_IMAGES, data.dataset.train.count);
  const codes = await encodeRows(model, data.dataset.train.images.subarray(0, n * data.pixels), data.pixels, n, (done) => between(done, n));
  const frequencies = positionFrequencies(codes, n, positions, K);
  return { codes: sampleIndependent(frequencies, positions, K, count, rng), from: `per-position code frequencies of ${n.toLocaleString('en-US')} training images (they ignore how positions depend on each other; fit the autoregressive prior under Priors over codes for better samples)` };
}

