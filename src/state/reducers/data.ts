/** Worker events about the backend and the data set, folded into the app state. */
import type { WorkerEventOf } from '../../worker/protocol';
import type { AppState } from '../appState';

export function onBackend(s: AppState, e: WorkerEventOf<'backend'>): AppState {
  return { ...s, backend: e.info };
}

export function onDataProgress(s: AppState, e: WorkerEventOf<'dataProgress'>): AppState {
  return { ...s, data: { ...s.data, stage: 'loading', step: e.stage, loadedBytes: e.loadedBytes, totalBytes: e.totalBytes } };
}

export function onDataReady(s: AppState, e: WorkerEventOf<'dataReady'>): AppState {
  return { ...s, data: { ...s.data, stage: 'ready', summary: e.summary, error: null } };
}

/** A configure that failed before the data was ready: the data banner says why, with a retry. */
export function isDataFailure(s: AppState, e: WorkerEventOf<'error'>): boolean {
  return e.command === 'configure' && s.data.stage !== 'ready';
}

export function onDataFailure(s: AppState, e: WorkerEventOf<'error'>): AppState {
  return { ...s, data: { ...s.data, stage: 'failed', error: e.message } };
}
