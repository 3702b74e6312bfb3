/**
 * Every message from the training worker to the main thread: one variant per fact. Loss numbers
 * travel keyed by the term ids the model family declares (core/objective/terms.ts).
 */
import type { ExplainExtras, WorkedExample } from '../../core/explain/workedExample';
import type { NamedWeight } from '../../core/io/weights';
import type { ModelConfig } from '../../core/models/config';
import type { PriorId } from '../../core/objective/catalog';
import type { LossTermSpec, LossValues } from '../../core/objective/terms';
import type { ResolvedTrainingConfig } from '../../core/training/config';
import type { TrainingMetrics } from '../../core/training/trainer';
import type { DatasetId, ImageShape } from '../../data/dataset';
import type { OutlierSetId } from '../../data/outliers';
import type { BackendName, CodePriorKind } from './commands';

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

/** Per-example scores of one set of images, by declared term id, and their −ELBO. */
export interface ScoredSet {
  id: 'test' | OutlierSetId;
  label: string;
  count: number;
  terms: Record<string, Float32Array>;
  negativeElbo: Float32Array;
}

/** A few test images picked by their −ELBO, with their test-set indices and 0..255 pixels. */
export interface ScoredImages {
  indices: Int32Array;
  negativeElbo: Float32Array;
  images: Uint8Array;
}

/** The background jobs, by the command that started them. */
export type JobKind = 'scoreSets' | 'estimateBound' | 'fitCodePriors' | 'scoreSamples';

/**
 * Why there is a (re)built model: a new configuration, a reset, a recovery onto another backend
 * (the same weights go on), a restarted worker (the weights the page kept), or a loaded file.
 */
export type ConfiguredCause = 'configure' | 'reset' | 'recovered' | 'restarted' | 'loaded';

/** What a divergence was: a NaN or infinite number, a loss far above its median, weights beyond bounds. */
export type DivergenceKind = 'nonFinite' | 'exploded' | 'weights';

/** The worker posts a copy of its weights at most this many steps apart (the page restarts a crashed worker from it). */
export const WEIGHT_COPY_EVERY = 500;

/**
 * How often the worker says it is alive, and how long a silence means it is not (ms): at least
 * HEARTBEAT_TIMEOUT_MS, and STEP_TIMEOUT_FACTOR times its slowest recent step (a large model on
 * the plain-JavaScript backend takes seconds per step, and no message leaves during one); before
 * any step was timed, UNTIMED_TIMEOUT_MS.
 *
 * A backend that compiles shaders (WebGL) compiles them synchronously, the first time each op
 * meets each shape: the first step of a convolutional model, the first report, the first
 * evaluation. On a software renderer (SwiftShader) under load that is a silence of minutes with
 * a healthy worker — a VQ-VAE's first step went past 60 s, the page replaced the worker, whose
 * first step compiled the same again. Such a worker gets COMPILING_UNTIMED_TIMEOUT_MS before its
 * first timed step and never less than COMPILING_TIMEOUT_FLOOR_MS after.
 */
export const HEARTBEAT_EVERY_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 20_000;
export const STEP_TIMEOUT_FACTOR = 4;
export const UNTIMED_TIMEOUT_MS = 60_000;
export const COMPILING_UNTIMED_TIMEOUT_MS = 300_000;
export const COMPILING_TIMEOUT_FLOOR_MS = 120_000;

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
      /** The model's step: 0 for fresh weights, later for restored ones. */
      step: number;
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
      /** The estimate of I(x; z) on the same points (core/analysis/latentUsage.ts), nats, and its ceiling log M. */
      mutualInformation?: number;
      mutualInformationCeiling?: number;
      /** The likelihood's learned noise scale (σ, or the logistic's s) when it has one, else null. */
      learnedScale?: number | null;
    }
  | {
      type: 'codes';
      step: number;
      /** Test images reported (the scatter's sample of the test set). */
      count: number;
      /** The code grid's [height, width]. */
      grid: [number, number];
      codebookSize: number;
      codeDim: number;
      /** Row-major [count, positions]: each position's code. */
      codes: Uint16Array;
      labels: Uint8Array;
      indices: Int32Array;
      /** Row-major [K, D]: the codebook. */
      codebook: Float32Array;
      /** Row-major [count, pixels] of those images, 0..255, sent once per data set (first report). */
      images?: Uint8Array;
    }
  | {
      type: 'codePriorsFitted';
      requestId: number;
      step: number;
      /** Training images whose code grids the priors were fitted on. */
      trainImages: number;
      steps: number;
      /** Mean −log p(grid) of the test images' code grids (the KL of q(z|x) against each prior), nats. */
      testNll: Record<CodePriorKind, number>;
      seconds: number;
    }
  | { type: 'codeSamples'; requestId: number; step: number; prior: CodePriorKind; count: number; codes: Int32Array; images: Float32Array }
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
  /** profileSteps: wall time per step, and each kernel's time and calls per step (tf.profile). */
  | {
      type: 'stepProfile';
      requestId: number;
      steps: number;
      wallMsPerStep: number;
      kernels: { name: string; group: string; msPerStep: number; callsPerStep: number }[];
      /** The same kernels split by their input shapes ("[6272×256] [256×32]"), costliest first. */
      byShape: { name: string; shapes: string; msPerStep: number; callsPerStep: number }[];
    }
  /**
   * A copy of the decoder's weights at `step` (shareDecoder): `modelSerial` names the model in
   * training (new model, new serial), `seq` orders the copies (a later one replaces an earlier).
   */
  | { type: 'decoderWeights'; model: ModelConfig; modelSerial: number; seq: number; step: number; weights: NamedWeight[] }
  /** An autoregressive decoder's progress through a decode's pixels: `decode` is the request's id (not `requestId`: this is no reply). */
  | { type: 'decodeProgress'; decode: number; done: number; total: number }
  | {
      type: 'interpolated';
      requestId: number;
      step: number;
      /** The two ends used, row-major [2, latentDim] (an image's end is its posterior mean). */
      ends: Float32Array;
      /** The path, row-major [steps, latentDim], ends included. */
      latents: Float32Array;
      /** The decoder's mean images along the path, row-major [steps, pixels]. */
      images: Float32Array;
    }
  | {
      type: 'inspected';
      requestId: number;
      step: number;
      count: number;
      samples: number;
      mu: Float32Array;
      logVar: Float32Array;
      /** Decoded posterior means, row-major [count, pixels]. */
      reconstructions: Float32Array;
      /** Decoded draws z ~ q(z|x), image after image: [count · samples, pixels]. */
      sampleImages: Float32Array;
      terms: Record<string, Float32Array>;
      negativeElbo: Float32Array;
    }
  /** The worked example of an image (its pixels sent back with it, for the diagram's input node). */
  | { type: 'explained'; requestId: number; step: number; image: Float32Array; example: WorkedExample; extras?: ExplainExtras }
  /** A background job's progress (its request is answered when it ends). */
  | { type: 'jobProgress'; job: number; kind: JobKind; done: number; total: number; stage: string }
  | {
      type: 'setScores';
      requestId: number;
      step: number;
      /** The test set first (without a held-out class), then each out-of-distribution set asked for and available. */
      sets: ScoredSet[];
      /** Why a set asked for is missing (e.g. no held-out class). */
      skipped: { id: OutlierSetId; reason: string }[];
      mostTypical: ScoredImages;
      leastTypical: ScoredImages;
    }
  | {
      type: 'boundEstimate';
      requestId: number;
      step: number;
      count: number;
      samples: number;
      ks: number[];
      /** Mean L_k over the images for each k, nats (a log-likelihood bound: negative for MNIST). */
      bounds: number[];
      /** The test −ELBO of the same images (closed-form KL, one sample), nats. */
      negativeElbo: number;
      seconds: number;
    }
  /**
   * An adversarial family's discriminator on fixed test images x, their reconstructions x̃ and
   * prior samples x_p: fractions of each in 20 bins of D over [0, 1], and the means.
   */
  | {
      type: 'discriminatorOutputs';
      step: number;
      count: number;
      histograms: { real: number[]; reconstructions: number[]; priorSamples: number[] };
      means: { real: number; reconstructions: number; priorSamples: number };
    }
  | {
      type: 'sampleScore';
      requestId: number;
      step: number;
      /** Test images and prior samples compared (each). */
      count: number;
      /** What the samples were drawn from, in words (the prior, or a prior over a VQ-VAE's codes). */
      samplesFrom: string;
      /** In the classifier's features; lower is better; not comparable with published FIDs. */
      frechetDistance: number;
      /** Mean largest class probability on the samples, and on the test images. */
      confidence: number;
      testConfidence: number;
      /** Mean gradient magnitude of the samples over that of the test images. */
      sharpnessRatio: number;
      /** The share of the samples the classifier puts in each class. */
      classShares: number[];
      classifierAccuracy: number;
      classifierSteps: number;
      seconds: number;
    }
  | { type: 'diverged'; step: number; restoredStep: number; kind: DivergenceKind; learningRate: number; message: string }
  /** The last checkpoint was restored on request (the 'restore' command). */
  | { type: 'restored'; step: number }
  /** A copy of the weights, every few hundred steps: the page restarts a crashed worker from it. */
  | { type: 'weights'; step: number; epoch: number; weights: NamedWeight[] }
  /** Sent every HEARTBEAT_EVERY_MS while the worker's event loop turns: a silence means it hangs. */
  | {
      type: 'heartbeat';
      /** The slowest of the recent training steps, ms; null before the first. */
      stepMs: number | null;
      /** The backend compiles shaders on first use (WebGL): long silences are expected. */
      compilesShaders?: boolean;
    }
  /** The model file asked for (its bytes are transferred). */
  | { type: 'modelExported'; requestId: number; file: Uint8Array; step: number }
  /** Row-major [count, latentDim] posterior means and log-variances of the whole test set, with its labels. */
  | { type: 'testCodes'; requestId: number; step: number; count: number; latentDim: number; mu: Float32Array; logVar: Float32Array; labels: Uint8Array }
  /** The PyTorch export asked for, a zip (its bytes are transferred). */
  | { type: 'pytorchExported'; requestId: number; file: Uint8Array; step: number }
  /** A model file was loaded: 'configured' (cause 'loaded') and 'status' came just before. */
  | { type: 'modelLoaded'; requestId: number; step: number }
  /**
   * `fatal`: the worker cannot go on (out of memory, say): the page replaces it. Otherwise the
   * error is the reply to a command, or news.
   */
  | { type: 'error'; message: string; command?: string; requestId?: number; fatal?: boolean };

export type WorkerEventType = WorkerEvent['type'];
export type WorkerEventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;
