/**
 * One store for the whole app: the settings and a snapshot of what the worker last reported.
 * Panels read slices of it with useAppState(selector); only the controller writes to it.
 */
import { useSyncExternalStore } from 'react';
import type { TrainingMetrics } from '../core/trainer';
import type { LossValues, ModelConfig } from '../core/types';
import type { BackendInfo, DataSummary, WorkerEventOf } from '../worker/protocol';
import { idleComparison, type ComparisonState } from './comparison';
import { emptyHistory, type LossHistory } from './history';
import { defaultSettings, type Settings } from './settings';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** The test points' posteriors of one 'latents' report, as the panels keep them. */
export type LatentSnapshot = Pick<WorkerEventOf<'latents'>, 'step' | 'count' | 'latentDim' | 'mu' | 'logVar' | 'labels' | 'indices'>;

export type DisentanglementReport = WorkerEventOf<'disentanglement'>;

/** A frozen card of one run's state, to compare runs (β = 1, 4, 10…) side by side. */
export interface Snapshot {
  id: number;
  title: string;
  step: number;
  settings: Settings;
  latents: LatentSnapshot;
  klPerDim: number[];
  negativeElbo: number | null;
  reconstruction: number | null;
  kl: number | null;
  mig: number | null;
  activeUnits: number | null;
  traversal: Traversal | null;
}

/** Decodings as each latent dimension sweeps a range with the others held at a base point. */
export interface Traversal {
  /** Row-major [dims.length × values.length, pixels], values in [0, 1]. */
  images: Float32Array;
  /** The dimension of each row, ordered by KL (largest first). */
  dims: number[];
  /** The swept values of the row's dimension, e.g. −3…3. */
  values: number[];
  base: number[];
  step: number;
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
  model: { config: ModelConfig; parameterCount: number } | null;
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
  /** Test images of the scatter's points, 0..255, row-major (sent once per data set). */
  previewImages: Uint8Array | null;
  /** Ground-truth factors of the scatter's points (Shapes), row-major [count, factors]. */
  pointFactors: Uint16Array | null;
  disentanglement: {
    latest: DisentanglementReport | null;
    history: { step: number; mig: number | null; activeUnits: number }[];
  };
  snapshots: Snapshot[];
  comparison: ComparisonState;
  notices: Notice[];
  /** A model-changing setting waiting for the user to confirm discarding the trained model. */
  pendingChange: { change: Partial<Settings>; description: string } | null;
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
    previewImages: null,
    pointFactors: null,
    disentanglement: { latest: null, history: [] },
    snapshots: [],
    comparison: idleComparison(),
    notices: [],
    pendingChange: null,
  };
}

export class Store<S> {
  private listeners = new Set<() => void>();
  constructor(private state: S) {}

  get = (): S => this.state;

  set(update: (state: S) => S): void {
    const next = update(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useStore<S, T>(store: Store<S>, selector: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}
