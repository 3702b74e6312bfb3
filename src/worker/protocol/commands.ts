/** Every message from the main thread to the training worker: one variant per command. */
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

export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; assetBaseUrl: string }
  | { type: 'configure'; datasetId: DatasetId; model: ModelConfig; training: TrainingConfig }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'setTraining'; change: Partial<TrainingConfig> }
  | { type: 'setReporting'; change: Partial<ReportingConfig> }
  | { type: 'encode'; requestId: number; images: Float32Array; count: number }
  /** `labels`: the class of each latent (count of them), which the conditional families decode with. */
  | { type: 'decode'; requestId: number; latents: Float32Array; count: number; labels?: Int32Array }
  | { type: 'evaluate'; requestId: number };

export type WorkerCommandType = WorkerCommand['type'];
