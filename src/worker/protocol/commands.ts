/** Every message from the main thread to the training worker: one variant per command. */
import type { NamedWeight } from '../../core/io/weights';
import type { ModelConfig } from '../../core/models/config';
import type { TrainingConfig } from '../../core/training/config';
import type { DatasetId } from '../../data/dataset';

export type BackendName = 'wasm' | 'webgl' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

/** How often the worker reports while training, in steps. */
export interface ReportingConfig {
  metricsEvery: number;
  latentsEvery: number;
  evaluateEvery: number;
  /** Test images encoded for the latent scatter. */
  latentPoints: number;
}

/** Weights the page kept, to rebuild a model where a crashed worker left it. */
export interface RestorePoint {
  step: number;
  /** Whole epochs completed at that step. */
  epoch: number;
  weights: NamedWeight[];
}

export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; assetBaseUrl: string }
  /** Build a model: fresh weights, or the weights of `restore` (a restarted worker). */
  | { type: 'configure'; datasetId: DatasetId; model: ModelConfig; training: TrainingConfig; restore?: RestorePoint }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  /** Pause and go back to the last checkpoint (the last sane weights). */
  | { type: 'restore' }
  | { type: 'setTraining'; change: Partial<TrainingConfig> }
  | { type: 'setReporting'; change: Partial<ReportingConfig> }
  | { type: 'encode'; requestId: number; images: Float32Array; count: number }
  | { type: 'decode'; requestId: number; latents: Float32Array; count: number }
  | { type: 'evaluate'; requestId: number };

export type WorkerCommandType = WorkerCommand['type'];
