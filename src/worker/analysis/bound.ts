/**
 * The estimateBound job: the importance-weighted bounds L_k on log p(x) of the first test images
 * for a curve of k, and their −ELBO beside it, chunk by chunk (yielding to training), cancellable.
 * Under the binarised likelihood both score one fixed binarisation of those images (a bound on
 * the probability of binary images, as in Burda et al.'s Table 1), not their grey intensities.
 */
import type { LikelihoodId } from '../../core/objective/catalog';
import { binariseImages } from '../../core/objective/pixelNoise';
import { fixedNoise } from '../../core/training/noise';
import type { JobContext } from '../jobs';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';

type BoundCommand = Extract<WorkerCommand, { type: 'estimateBound' }>;

/** The seeds of the importance samples and of the ELBO's ε (fixed: the same model gives the same figures). */
const SAMPLE_SEED = 321;
const ELBO_SEED = 1234;
/** The seed of the one binarisation of the test images scored under the binarised likelihood. */
const BINARISATION_SEED = 4321;

/** The images a bound scores: one fixed binarisation of them under the binarised Bernoulli, else the images themselves. */
export function scoredImages(likelihood: LikelihoodId, images: Float32Array, count: number, pixels: number): Promise<Float32Array> {
  return likelihood === 'binarised' ? binariseImages(images, count, pixels, fixedNoise(BINARISATION_SEED)) : Promise.resolve(images);
}

export async function estimateBound(model: LiveModel, data: ResidentData, command: BoundCommand, context: JobContext, now: () => number): Promise<WorkerEventOf<'boundEstimate'>> {
  const { trainer } = model;
  const test = data.dataset.test;
  const count = Math.min(command.count, test.count);
  const pixels = data.pixels;
  const images = await scoredImages(trainer.modelConfig.likelihood, test.images.subarray(0, count * pixels), count, pixels);
  const labels = model.usesLabels ? test.labels.subarray(0, count) : undefined;
  const started = now();
  const result = await trainer.importanceWeightedBounds(
    images,
    count,
    { ks: command.ks, samples: command.samples, seed: SAMPLE_SEED, betweenChunks: (done, total) => context.checkpoint(done, total, 'sampling') },
    labels,
  );
  const total = count * command.samples;
  const elbo = await trainer.evaluate(images, count, 500, ELBO_SEED, () => context.checkpoint(total, total, 'ELBO'), labels);
  return {
    type: 'boundEstimate',
    requestId: command.requestId,
    step: trainer.step,
    count,
    samples: command.samples,
    ks: result.ks,
    bounds: result.bounds,
    negativeElbo: elbo.negativeElbo,
    seconds: (now() - started) / 1000,
  };
}
