/**
 * What the tools of a trained model show (the "Use the model" tab): the interpolation, the
 * anomaly scores, the drawn digit, the importance-weighted bound and the reconstructions. A store
 * of its own, so a stroke on the drawing re-renders only what shows it. Plain data, no tensors.
 */
import type { InterpolationKind } from '../../core/analysis/interpolation';
import type { CorruptionKind } from '../../data/corruption';
import type { WorkerEventOf } from '../../worker/protocol';

/** One end of the interpolation: a test point of the scatter (its image), or a free latent point (a dragged end). */
export type InterpolationEndState =
  | { kind: 'point'; pointIndex: number; testIndex: number; label: number; image: Float32Array }
  | { kind: 'latent'; z: number[] };

export interface InterpolationState {
  path: InterpolationKind;
  steps: number;
  /** The classes the ends are drawn from (null: any class). */
  fromClass: number | null;
  toClass: number | null;
  ends: [InterpolationEndState, InterpolationEndState] | null;
  /** Waiting for a pick on the scatter for end 0 or 1. */
  picking: 0 | 1 | null;
  result: (Omit<WorkerEventOf<'interpolated'>, 'type' | 'requestId'> & { blends: Float32Array }) | null;
  error: string | null;
}

export interface JobProgressState {
  done: number;
  total: number;
  stage: string;
}

export type JobStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export type SetScores = Omit<WorkerEventOf<'setScores'>, 'type' | 'requestId'>;

export interface AnomalyState {
  status: JobStatus;
  progress: JobProgressState | null;
  result: SetScores | null;
  /** Which score the histogram and threshold use: '−ELBO' or a term id. */
  score: string;
  /** The threshold on that score, nats (null: at the test set's 95th percentile). */
  threshold: number | null;
  error: string | null;
}

export interface DrawingState {
  /** The model input: the drawing or picture normalised like MNIST, row-major, in [0, 1]. */
  input: Float32Array | null;
  source: { kind: 'drawing' } | { kind: 'file'; name: string } | null;
  result: Omit<WorkerEventOf<'inspected'>, 'type' | 'requestId'> | null;
  /** Why a dropped file was not used. */
  message: string | null;
}

export type BoundEstimate = Omit<WorkerEventOf<'boundEstimate'>, 'type' | 'requestId'>;

export interface BoundState {
  status: JobStatus;
  progress: JobProgressState | null;
  /** Test images to estimate on. */
  count: number;
  result: BoundEstimate | null;
  error: string | null;
}

export interface ReconstructionState {
  corruption: CorruptionKind;
  /** The scatter points shown (one per class first). */
  pointIndices: number[] | null;
  inputs: Float32Array | null;
  masked: Uint8Array | null;
  result: Omit<WorkerEventOf<'inspected'>, 'type' | 'requestId'> | null;
}

export interface AnalysisState {
  interpolation: InterpolationState;
  anomaly: AnomalyState;
  drawing: DrawingState;
  bound: BoundState;
  reconstructions: ReconstructionState;
}

export const NEGATIVE_ELBO = 'negativeElbo';
export const BOUND_COUNTS = [100, 500, 1000] as const;
export const BOUND_KS = [1, 10, 100, 1000];
export const INTERPOLATION_STEPS = 10;

export function initialAnalysis(): AnalysisState {
  return {
    interpolation: { path: 'spherical', steps: INTERPOLATION_STEPS, fromClass: null, toClass: null, ends: null, picking: null, result: null, error: null },
    anomaly: { status: 'idle', progress: null, result: null, score: NEGATIVE_ELBO, threshold: null, error: null },
    drawing: { input: null, source: null, result: null, message: null },
    bound: { status: 'idle', progress: null, count: BOUND_COUNTS[0], result: null, error: null },
    reconstructions: { corruption: 'none', pointIndices: null, inputs: null, masked: null, result: null },
  };
}

/** The latent scatter's overlay: the interpolation path (draggable ends) and the drawing's posterior. */
export interface LatentOverlay {
  /** Row-major [steps, latentDim] path, ends first and last. */
  path: Float32Array | null;
  /** The drawn digit's posterior mean and log-variance. */
  posterior: { mu: Float32Array; logVar: Float32Array } | null;
}
