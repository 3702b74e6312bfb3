/** The test points' posteriors of one 'latents' report, as the panels keep them. */
import type { WorkerEventOf } from '../worker/protocol';

export type LatentSnapshot = Pick<WorkerEventOf<'latents'>, 'step' | 'count' | 'latentDim' | 'mu' | 'logVar' | 'labels' | 'indices'>;

export function latentSnapshotOf(e: WorkerEventOf<'latents'>): LatentSnapshot {
  return { step: e.step, count: e.count, latentDim: e.latentDim, mu: e.mu, logVar: e.logVar, labels: e.labels, indices: e.indices };
}
