/** Worker events about the latent space (the scatter's posteriors, active units, MIG), folded into the app state. */
import type { WorkerEventOf } from '../../worker/protocol';
import type { AppState } from '../appState';
import { latentSnapshotOf } from '../latentSnapshot';

export function onLatents(s: AppState, e: WorkerEventOf<'latents'>): AppState {
  return {
    ...s,
    latents: latentSnapshotOf(e),
    previewImages: e.images ?? s.previewImages,
    pointFactors: e.images ? (e.factors ?? null) : s.pointFactors,
  };
}

export function onDisentanglement(s: AppState, e: WorkerEventOf<'disentanglement'>, chartStep: number): AppState {
  return {
    ...s,
    disentanglement: {
      latest: e,
      history: appendBounded(s.disentanglement.history, {
        step: chartStep,
        mig: e.mig,
        activeUnits: e.activeUnits,
        ...(s.training.latest && Number.isFinite(s.training.latest.terms.kl) ? { kl: s.training.latest.terms.kl } : {}),
        ...(e.mutualInformation !== undefined ? { mutualInformation: e.mutualInformation } : {}),
      }),
    },
  };
}

function appendBounded<T>(series: T[], item: T, max = 2000): T[] {
  const next = [...series, item];
  return next.length > max ? next.filter((_, i) => i % 2 === 1 || i === next.length - 1) : next;
}

/** A discrete latent's report: the code grids of the test points and the codebook (their images once per data set). */
export function onCodes(s: AppState, e: WorkerEventOf<'codes'>): AppState {
  const { type: _type, images, ...report } = e;
  return { ...s, codes: report, previewImages: images ?? s.previewImages };
}

/** A learned prior's components: the scatter's ellipses, the grid's samples, the pseudo-inputs. */
export function onPrior(s: AppState, e: WorkerEventOf<'prior'>): AppState {
  return { ...s, prior: e };
}

/** The classifier's test accuracy, kept over training (steps on the chart's time axis). */
export function onClassifier(s: AppState, e: WorkerEventOf<'classifier'>, chartStep: number): AppState {
  return { ...s, classifier: { latest: e, history: appendBounded(s.classifier.history, { step: chartStep, accuracy: e.accuracy }) } };
}
