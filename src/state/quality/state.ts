/**
 * What the page knows of sample quality and of an adversarial family's discriminator: the last
 * "Score samples" result (with its progress while it runs), the discriminator's histograms over
 * training, and the plain-VAE baseline trained beside a VAE-GAN.
 */
import { Rng } from '../../data/rng';
import type { WorkerEventOf } from '../../worker/protocol';

export type SampleScore = Omit<WorkerEventOf<'sampleScore'>, 'type' | 'requestId'>;
export type DiscriminatorReport = Omit<WorkerEventOf<'discriminatorOutputs'>, 'type'>;

/** Test images and prior samples the page scores (each). */
export const SCORE_COUNT = 2000;
/** Reports of the discriminator kept for its histograms over training. */
export const DISCRIMINATOR_HISTORY = 120;
/** Prior samples shown side by side for the model and its plain-VAE baseline. */
export const BASELINE_SAMPLES = 32;

export interface ScoreState {
  status: 'idle' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number; stage: string } | null;
  result: SampleScore | null;
  error: string | null;
}

export interface BaselineState {
  status: 'idle' | 'running' | 'done' | 'failed';
  message: string | null;
  /** Steps the baseline trains (the model's step when it started). */
  steps: number;
  step: number;
  /** The same prior draws decoded by the baseline and by the model, row-major [BASELINE_SAMPLES, pixels]. */
  baselineImages: Float32Array | null;
  modelImages: Float32Array | null;
  /** The baseline's sample-quality score and test −ELBO. */
  score: SampleScore | null;
  negativeElbo: number | null;
}

export interface QualityState {
  score: ScoreState;
  discriminator: { latest: DiscriminatorReport | null; history: DiscriminatorReport[] };
  baseline: BaselineState;
}

export function idleBaseline(): BaselineState {
  return { status: 'idle', message: null, steps: 0, step: 0, baselineImages: null, modelImages: null, score: null, negativeElbo: null };
}

export function initialQuality(): QualityState {
  return { score: { status: 'idle', progress: null, result: null, error: null }, discriminator: { latest: null, history: [] }, baseline: idleBaseline() };
}

/** Warnings a discriminator report gives, or null. */
export function discriminatorWarning(r: DiscriminatorReport): string | null {
  if (r.means.priorSamples < 0.05 && r.means.real > 0.9) {
    return `The discriminator wins outright (mean D(x) ${r.means.real.toFixed(2)}, D(x_p) ${r.means.priorSamples.toFixed(2)} at step ${r.step}): the decoder's adversarial gradient vanishes. Try a lower γ, fewer discriminator steps k_D, or a balancing margin.`;
  }
  return null;
}

/** A warning when the samples collapse onto a few classes (modes), or null. */
export function collapseWarning(score: SampleScore, classNames: readonly string[]): string | null {
  const shares = score.classShares;
  if (shares.length < 3) return null;
  const top = shares.indexOf(Math.max(...shares));
  const seen = shares.filter((s) => s >= 0.5 / shares.length).length;
  if (shares[top] > 0.5 || seen <= shares.length / 2) {
    return `Samples collapse onto a few modes: the classifier puts ${(100 * shares[top]).toFixed(0)}% of them in class ${classNames[top] ?? top} and sees ${seen} of ${shares.length} classes among them.`;
  }
  return null;
}

/** Fixed draws from N(0, I), [count, latentDim], the same for the model and its baseline. */
export function baselineLatents(count: number, latentDim: number, seed = 4242): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * latentDim }, () => rng.normal());
}
