/** Every message from the main thread to the training worker: one variant per command. */
import type { NamedWeight } from '../../core/io/weights';
import type { ModelConfig } from '../../core/models/config';
import type { TrainingConfig } from '../../core/training/config';
import type { InterpolationKind } from '../../core/analysis/interpolation';
import type { DatasetId } from '../../data/dataset';
import type { OutlierSetId } from '../../data/outliers';
import type { OwnImages } from '../../data/own/ownDataset';

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

/** The priors over code grids a VQ-VAE's samples come from (the uniform one needs no fitting). */
export type CodePriorKind = 'uniform' | 'independent' | 'autoregressive';

/** Weights the page kept, to rebuild a model where a crashed worker left it. */
export interface RestorePoint {
  step: number;
  /** Whole epochs completed at that step. */
  epoch: number;
  weights: NamedWeight[];
}

/** One end of an interpolation: an image (its posterior mean is the end) or a latent point. */
export type InterpolationEnd = { image: Float32Array } | { z: Float32Array };

export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; assetBaseUrl: string }
  /**
   * Build a model: fresh weights, or the weights of `restore` (a restarted worker). holdOutClass:
   * a class index left out of the training batches (absent: train on every class).
   */
  | { type: 'configure'; datasetId: DatasetId; model: ModelConfig; training: TrainingConfig; holdOutClass?: number; restore?: RestorePoint }
  | { type: 'start' }
  | { type: 'pause' }
  /** One step while paused; `player` (a family's player id) steps only that player's weight groups. */
  | { type: 'step'; player?: string }
  | { type: 'reset' }
  /** Pause and go back to the last checkpoint (the last sane weights). */
  | { type: 'restore' }
  | { type: 'setTraining'; change: Partial<TrainingConfig> }
  | { type: 'setReporting'; change: Partial<ReportingConfig> }
  /** Time `steps` training steps plainly and per kernel (paused only; the bench's --profile). */
  | { type: 'profileSteps'; requestId: number; steps: number }
  /** Post the decoder's weights every ~100 ms (the page's decode worker keeps a copy), or stop. */
  | { type: 'shareDecoder'; enabled: boolean }
  | { type: 'encode'; requestId: number; images: Float32Array; count: number }
  /** `labels`: the class of each latent (count of them), which the conditional families decode with. */
  | { type: 'decode'; requestId: number; latents: Float32Array; count: number; labels?: Int32Array }
  | { type: 'evaluate'; requestId: number }
  /** Decode `steps` points on the path between two ends (images are encoded first, with the same weights). */
  | { type: 'interpolate'; requestId: number; ends: [InterpolationEnd, InterpolationEnd]; steps: number; path: InterpolationKind }
  /** Encode, reconstruct (posterior mean and `samples` draws from q(z|x) per image) and score images. */
  | { type: 'inspect'; requestId: number; images: Float32Array; count: number; samples: number; seed: number }
  /** The worked example for one image (label: its class, for a family that uses labels): ε drawn from `seed`. */
  | { type: 'explain'; requestId: number; image: Float32Array; label: number | null; seed: number }
  /** A background job: per-example scores of the test set and of out-of-distribution sets, `perSet` images each. */
  | { type: 'scoreSets'; requestId: number; sets: OutlierSetId[]; perSet: number }
  /** A background job: the importance-weighted bounds L_k on the first `count` test images, `samples` draws each. */
  | { type: 'estimateBound'; requestId: number; count: number; ks: number[]; samples: number }
  /** Decode code grids [count, positions] of a discrete latent (indices into its codebook). */
  | { type: 'decodeCodes'; requestId: number; codes: Int32Array; count: number }
  /**
   * A background job: encode `images` training images to code grids and fit the priors over them
   * (per-position frequencies, and `steps` Adam steps of the autoregressive prior).
   */
  | { type: 'fitCodePriors'; requestId: number; images: number; steps: number }
  /** Code grids drawn from a prior over codes (fitted first, except the uniform one), and their decodings. */
  | { type: 'sampleCodes'; requestId: number; prior: CodePriorKind; count: number; seed: number }
  /**
   * A background job: the sample-quality score, `count` test images against `count` samples from
   * the prior in the features of a classifier trained on the data set's labels (`classifierSteps`
   * Adam steps, default CLASSIFIER_STEPS).
   */
  | { type: 'scoreSamples'; requestId: number; count: number; classifierSteps?: number }
  /** Stop a background job (it answers its request with an error saying so). */
  | { type: 'cancelJob'; requestId: number }
  /**
   * The model in training as a model file (core/io/modelFile.ts): the worker writes its model,
   * weights, optimiser state and batch order; the page gives the file's name, time and its own
   * state (settings, loss history), which the worker stores without reading.
   */
  | { type: 'exportModel'; requestId: number; name: string; savedAt: string; page: Record<string, unknown> }
  /** The model in training for PyTorch: a zip of model.safetensors, vae_model.py and a readme. */
  | { type: 'exportPytorch'; requestId: number; savedAt: string }
  /** The posterior of every test image (the latent codes to download). */
  | { type: 'encodeTestSet'; requestId: number }
  /** Your own images, prepared by the page: the data set 'own' of the next configure or load. */
  | { type: 'useImages'; images: OwnImages }
  /** Replace the model in training by the one in a model file, if the file is sound and fits. */
  | { type: 'importModel'; requestId: number; file: Uint8Array };

export type WorkerCommandType = WorkerCommand['type'];
