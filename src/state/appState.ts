/**
 * The shape of the app's one store: the settings and a snapshot of what the worker last reported.
 * Panels read slices of it; only the controller and its reducers write to it.
 */
import type { ModelConfig } from '../core/models/config';
import type { LossTermSpec, LossValues } from '../core/objective/terms';
import type { TrainingMetrics } from '../core/training/trainer';
import type { BackendInfo, DataSummary, WorkerEventOf } from '../worker/protocol';
import { idleComparison, type ComparisonState } from './comparison';
import { idleRescue, type RescueState } from './rescue';
import { emptyHistory, type LossHistory } from './history';
import type { LatentSnapshot } from './latentSnapshot';
import { defaultSettings, type Settings } from './settings';
import type { Traversal } from './traversal';

export type { LatentSnapshot } from './latentSnapshot';
export type { Traversal } from './traversal';

/** Messages that come together about one thing, shown as one line with their list (notices.ts). */
export type NoticeGroupKey = 'url-ignored' | 'url-adjusted';

/** What a message offers to do in one click (notices.ts has the labels). */
export type NoticeActionKind = 'restoreAndHalveLearningRate';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  group?: NoticeGroupKey;
  action?: NoticeActionKind;
}

export type DisentanglementReport = WorkerEventOf<'disentanglement'>;
/** A learned prior's components (and the VampPrior's pseudo-inputs) as last reported. */
export type PriorReport = WorkerEventOf<'prior'>;
export type ClassifierReport = WorkerEventOf<'classifier'>;

/** A discrete latent's last report: the test points' code grids and the codebook (VQ-VAE). */
export type CodesReport = Omit<WorkerEventOf<'codes'>, 'type' | 'images'>;
/** How much z is used at one report: active units, MIG, the training KL and the I(x; z) estimate (nats). */
export interface UsagePoint {
  step: number;
  mig: number | null;
  activeUnits: number;
  kl?: number;
  mutualInformation?: number;
}


/** A frozen card of one run's state, to compare runs (β = 1, 4, 10…) side by side. */
export interface Snapshot {
  id: number;
  title: string;
  step: number;
  settings: Settings;
  latents: LatentSnapshot;
  /** The loss terms the model declared, to label `values`. */
  terms: LossTermSpec[];
  /** The last training figures (terms, −ELBO, KL per dimension), or null before the first. */
  values: LossValues | null;
  mig: number | null;
  activeUnits: number | null;
  /** The I(x; z) estimate at the snapshot, nats, when reported. */
  mutualInformation?: number | null;
  traversal: Traversal | null;
  /** The model's last sample-quality score (Score samples), with the step it was taken at; absent before one. */
  quality?: { step: number; frechetDistance: number; sharpnessRatio: number; confidence: number } | null;
  /** Decoded samples from the prior, row-major [count, pixels], when the card has them. */
  samples?: { images: Float32Array; count: number } | null;
}

/** The model the worker has built, as the page knows it. */
export interface ModelInfo {
  config: ModelConfig;
  parameterCount: number;
  /** The loss terms it reports, in chart order. */
  terms: LossTermSpec[];
}

export interface AppState {
  settings: Settings;
  backend: BackendInfo | null;
  data: {
    stage: 'waiting' | 'loading' | 'ready' | 'failed';
    /** What the worker is doing: 'download', 'decode', 'generate'… */
    step: string;
    loadedBytes: number;
    totalBytes: number;
    summary: DataSummary | null;
    error: string | null;
  };
  model: ModelInfo | null;
  training: {
    running: boolean;
    step: number;
    epoch: number;
    epochProgress: number;
    stepsPerSecond: number;
    latest: TrainingMetrics | null;
    latestTest: (LossValues & { step: number }) | null;
  };
  history: LossHistory;
  latents: LatentSnapshot | null;
  /** The code grids of the same test points and the codebook, for a discrete latent (else null). */
  codes: CodesReport | null;
  /** Test images of the scatter's points, 0..255, row-major (sent once per data set). */
  previewImages: Uint8Array | null;
  /** Ground-truth factors of the scatter's points (Shapes), row-major [count, factors]. */
  pointFactors: Uint16Array | null;
  disentanglement: {
    latest: DisentanglementReport | null;
    history: UsagePoint[];
  };
  /** The learned prior's components, or null under N(0, I). */
  prior: PriorReport | null;
  /** The classifier read-out (M2's q(y|x), or M1's k-NN on the VAE's means) over training. */
  classifier: { latest: ClassifierReport | null; history: { step: number; accuracy: number }[] };
  snapshots: Snapshot[];
  comparison: ComparisonState;
  rescue: RescueState;
  notices: Notice[];
  /** A model-changing setting waiting for the user to confirm discarding the trained model. */
  pendingChange: { change: Partial<Settings>; description: string } | null;
  /** Why the training worker is gone for good (it kept dying); null while it works. */
  workerFailure: string | null;
  /** A new model was asked for and the worker has not reported it yet. */
  buildingModel: boolean;
}

export function initialState(settings: Settings = defaultSettings()): AppState {
  return {
    settings,
    backend: null,
    data: { stage: 'waiting', step: '', loadedBytes: 0, totalBytes: 0, summary: null, error: null },
    model: null,
    training: { running: false, step: 0, epoch: 0, epochProgress: 0, stepsPerSecond: 0, latest: null, latestTest: null },
    history: emptyHistory(),
    latents: null,
    codes: null,
    previewImages: null,
    pointFactors: null,
    disentanglement: { latest: null, history: [] },
    prior: null,
    classifier: { latest: null, history: [] },
    snapshots: [],
    comparison: idleComparison(),
    rescue: idleRescue(),
    notices: [],
    pendingChange: null,
    workerFailure: null,
    buildingModel: false,
  };
}
