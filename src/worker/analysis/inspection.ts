/**
 * The inspect command, for images the page holds (a drawing, a row of test images, corrupted or
 * not): their posteriors, the decoded posterior means (the reconstructions), a few decoded draws
 * z ~ q(z|x) to show the posterior's spread, and their per-example scores.
 */
import { Rng } from '../../data/rng';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';

type InspectCommand = Extract<WorkerCommand, { type: 'inspect' }>;

export async function inspect(model: LiveModel, command: InspectCommand, pixels: number): Promise<WorkerEventOf<'inspected'>> {
  const { trainer } = model;
  const { images, count, samples, seed } = command;
  if (images.length !== count * pixels) throw new Error(`expected ${count} × ${pixels} pixel values, got ${images.length}`);
  if (model.usesLabels) throw new Error('inspecting unlabelled images is not available for a model that needs their labels');
  const scores = await trainer.scoreExamples(images, count, 500, seed);
  const { mu, logVar } = await trainer.encode(images, count);
  const reconstructions = await trainer.decode(mu, count);
  const d = trainer.modelConfig.latentDim;
  let sampleImages: Float32Array = new Float32Array(0);
  if (samples > 0) {
    // z = μ + σ·ε with ε from the request's seed: the same draws on every refresh while training
    const rng = new Rng(seed);
    const z = new Float32Array(count * samples * d);
    for (let i = 0; i < count; i++) {
      for (let s = 0; s < samples; s++) {
        for (let j = 0; j < d; j++) z[(i * samples + s) * d + j] = mu[i * d + j] + Math.exp(0.5 * logVar[i * d + j]) * rng.normal();
      }
    }
    sampleImages = await trainer.decode(z, count * samples);
  }
  return {
    type: 'inspected',
    requestId: command.requestId,
    step: trainer.step,
    count,
    samples,
    mu,
    logVar,
    reconstructions,
    sampleImages,
    terms: scores.terms,
    negativeElbo: scores.negativeElbo,
  };
}
