/**
 * What the discriminator of an adversarial family says about three kinds of images, for the
 * page's "Discriminator" panel: D(x) on real test images, D(x̃) on their reconstructions (decoded
 * posterior means) and D(x_p) on samples from the prior, as histograms over [0, 1]. The same test
 * images and prior draws every time, so the histograms move only because the players learn.
 */
import * as tf from '../../core/tf';
import { Rng } from '../../data/rng';
import type { LiveModel } from '../liveModel';
import type { WorkerEventOf } from '../protocol';
import type { ResidentData } from '../residentData';

export const DISCRIMINATOR_IMAGES = 256;
export const DISCRIMINATOR_BINS = 20;
const PRIOR_SEED = 99;

/** Fractions of `values` in each of `bins` equal bins over [0, 1]. */
export function histogram(values: ArrayLike<number>, bins = DISCRIMINATOR_BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.max(0, Math.floor(values[i] * bins)))] += 1;
  return counts.map((c) => c / Math.max(1, values.length));
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : Number.NaN;
}

/** The event, or null for a family without a discriminator. */
export async function discriminatorOutputs(model: LiveModel, data: ResidentData): Promise<WorkerEventOf<'discriminatorOutputs'> | null> {
  const critic = model.trainer.model.critic;
  const latent = model.trainer.model.latent;
  if (!critic || latent.kind !== 'gaussian') return null;
  const test = data.dataset.test;
  const n = Math.min(DISCRIMINATOR_IMAGES, test.count);
  const { latentDim } = model.trainer.modelConfig;
  const rng = new Rng(PRIOR_SEED);
  const zPrior = Float32Array.from({ length: n * latentDim }, () => rng.normal());
  const [real, reconstructions, priorSamples] = tf.tidy(() => {
    const x = tf.tensor2d(test.images.subarray(0, n * data.pixels), [n, data.pixels]);
    const recon = latent.decode(latent.encode(x, null).mu, null);
    const prior = latent.decode(tf.tensor2d(zPrior, [n, latentDim]), null);
    return [critic.realProbability(x), critic.realProbability(recon), critic.realProbability(prior)];
  });
  try {
    const [r, c, p] = await Promise.all([real.data(), reconstructions.data(), priorSamples.data()]);
    return {
      type: 'discriminatorOutputs',
      step: model.trainer.step,
      count: n,
      histograms: { real: histogram(r), reconstructions: histogram(c), priorSamples: histogram(p) },
      means: { real: mean(r), reconstructions: mean(c), priorSamples: mean(p) },
    };
  } finally {
    tf.dispose([real, reconstructions, priorSamples]);
  }
}
