/** A loaded model file's run taken on by the page: its settings and loss chart replace the page's. */
import type { AppState } from '../appState';
import type { RestoredRun } from './pageState';

export function adoptRun(s: AppState, run: RestoredRun): AppState {
  const sameData = run.settings.dataset === s.settings.dataset;
  return {
    ...s,
    settings: run.settings,
    pendingChange: null,
    history: run.history,
    latents: null,
    codes: null,
    previewImages: sameData ? s.previewImages : null,
    pointFactors: sameData ? s.pointFactors : null,
    disentanglement: { latest: null, history: [] },
  };
}
