/**
 * The estimateBound job: the importance-weighted bounds L_k on log p(x) of the first test images
 * for a curve of k, and their −ELBO beside it, chunk by chunk (yielding to training), cancellable.
 */
import type { JobContext } from '../jobs';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';

type BoundCommand = Extract<WorkerCommand, { type: 'estimateBound' }>;

/** The seeds of the importance samples and of the ELBO's ε (fixed: the same model gives the same figures). */
const SAMPLE_SEED = 321;
const ELBO_SEED = 1234;

export async function estimateBound(model: LiveModel, data: ResidentData, command: BoundCommand, context: JobContext, now: () => number): Promise<WorkerEventOf<'boundEstimate'>> {
  const { trainer } = model;
  const test = data.dataset.test;
  const count = Math.min(command.count, test.count);
  const pixels = data.pixels;
  const images = test.images.subarray(0, count * pixels);
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
