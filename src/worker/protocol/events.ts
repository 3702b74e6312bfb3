/**
 * Every message from the training worker to the main thread: one variant per fact. Loss numbers
 * travel keyed by the term ids the model family declares (core/objective/terms.ts).
 */
import type { ModelConfig } from '../../core/models/config';
import type { PriorId } from '../../core/objective/catalog';
import type { LossTermSpec, LossValues } from '../../core/objective/terms';
import type { ResolvedTrainingConfig } from '../../core/training/config';
import type { TrainingMetrics } from '../../core/training/trainer';
import type { DatasetId, ImageShape } from '../../data/dataset';
import type { BackendName } from './commands';

export interface BackendInfo {
  name: BackendName;
  /** Why this backend: the user's choice, a probe's result, or a fallback after a failure. */
  reason: string;
  /** wasm threads in use (1 without cross-origin isolation). */
  threads: number;
  crossOriginIsolated: boolean;
}

export interface DataSummary {
  datasetId: DatasetId;
  name: string;
  shape: ImageShape;
  classNames: string[];
  /** Ground-truth factors (Shapes): their names and number of values. */
  factors: { names: string[]; sizes: number[] } | null;
  trainCount: number;
  testCount: number;
}

/** Why there is a (re)built model: a new configuration, a reset, or a recovery onto another backend. */
export type ConfiguredCause = 'configure' | 'reset' | 'recovered';

export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'dataProgress'; datasetId: DatasetId; loadedBytes: number; totalBytes: number; stage: string }
  | { type: 'dataReady'; summary: DataSummary }
  | {
      type: 'configured';
      model: ModelConfig;
      training: ResolvedTrainingConfig;
      parameterCount: number;
      /** The loss terms the model reports, in chart order. */
      terms: LossTermSpec[];
      cause: ConfiguredCause;
    }
  | { type: 'status'; running: boolean; step: number; epoch: number; epochProgress: number }
  | {
      type: 'metrics';
      step: number;
      epoch: number;
      epochProgress: number;
      stepsPerSecond: number;
      train: TrainingMetrics;
      beta: number;
      /** tfjs's live tensors and their bytes: flat over a long run, or something leaks. */
      memory: { numTensors: number; numBytes: number };
    }
  | { type: 'evaluation'; step: number; test: LossValues; requestId?: number }
  | {
      type: 'latents';
      step: number;
      count: number;
      latentDim: number;
      /** Row-major [count, latentDim] posterior means and log-variances of test images. */
      mu: Float32Array;
      logVar: Float32Array;
      labels: Uint8Array;
      /** Indices into the test set, to fetch a point's image for a hover preview. */
      indices: Int32Array;
      /** Row-major [count, pixels] of those images, 0..255, sent once per data set (first report). */
      images?: Uint8Array;
      /** Row-major [count, factor names] ground-truth factors of those images (Shapes), with the images. */
      factors?: Uint16Array;
    }
  | {
      type: 'disentanglement';
      step: number;
      /** Variance over the scatter's test points of each unit's posterior mean (Burda et al.). */
      unitVariances: number[];
      activeUnits: number;
      /** MIG over the same points when the data set has ground-truth factors, else null. */
      mig: number | null;
      migPerFactor: { factor: string; gap: number; topDims: [number, number] }[] | null;
    }
  | {
      type: 'prior';
      step: number;
      /** Which learned prior (objective/catalog.ts PRIORS). */
      kind: PriorId;
      count: number;
      latentDim: number;
      /** [K] mixture weights; [K, latentDim] row-major component means and log-variances. */
      weights: Float32Array;
      means: Float32Array;
      logVars: Float32Array;
      /** [K, pixels] the VampPrior's pseudo-inputs in [0, 1]. */
      pseudoInputs: Float32Array | null;
    }
  | {
      type: 'classifier';
      step: number;
      /** 'm2': the model's own q(y|x); 'm1': k-NN on the unsupervised posterior means (Kingma et al. 2014). */
      method: 'm2' | 'm1';
      /** Fraction of the test images classified right. */
      accuracy: number;
      /** Training labels the classifier may use. */
      labelled: number;
      /** Test images it was measured on. */
      testCount: number;
    }
  | { type: 'encoded'; requestId: number; count: number; mu: Float32Array; logVar: Float32Array }
  | { type: 'decoded'; requestId: number; count: number; images: Float32Array }
  | { type: 'diverged'; step: number; restoredStep: number; message: string }
  | { type: 'error'; message: string; command?: string; requestId?: number };

export type WorkerEventType = WorkerEvent['type'];
export type WorkerEventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;
