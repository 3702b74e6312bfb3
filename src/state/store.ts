/**
 * One store for the whole app: the settings and a snapshot of what the worker last reported.
 * Panels read slices of it with useAppState(selector); only the controller writes to it.
 */
import { useSyncExternalStore } from 'react';
import type { TrainingMetrics } from '../core/trainer';
import type { LossValues, ModelConfig } from '../core/types';
import type { BackendInfo, DataSummary } from '../worker/protocol';
import { emptyHistory, type LossHistory } from './history';
import { defaultSettings, type Settings } from './settings';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export interface LatentSnapshot {
  step: number;
  count: number;
  latentDim: number;
  mu: Float32Array;
  logVar: Float32Array;
  labels: Uint8Array;
  indices: Int32Array;
}

export interface AppState {
  settings: Settings;
  backend: BackendInfo | null;
  data: {
    stage: 'waiting' | 'loading' | 'ready' | 'failed';
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
  notices: Notice[];
  /** A model-changing setting waiting for the user to confirm discarding the trained model. */
  pendingChange: { settings: Settings; description: string } | null;
}

export function initialState(settings: Settings = defaultSettings()): AppState {
  return {
    settings,
    backend: null,
    data: { stage: 'waiting', loadedBytes: 0, totalBytes: 0, summary: null, error: null },
    model: null,
    training: { running: false, step: 0, epoch: 0, epochProgress: 0, stepsPerSecond: 0, latest: null, latestTest: null },
    history: emptyHistory(),
    latents: null,
    previewImages: null,
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
