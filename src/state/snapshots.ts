/** Snapshot cards: a run's latent space, traversals and figures frozen to compare runs side by side. */
import { DATASETS } from '../data/catalog';
import type { AppState, Snapshot, Traversal } from './appState';
import type { SampleScore } from './quality/state';
import type { Settings } from './settings';

export const SNAPSHOTS_KEPT = 6;

/** A card of the state now (with the model's last sample-quality score, if any), or null before the first latents have arrived. */
export function makeSnapshot(id: number, s: AppState, traversal: Traversal | null, score: SampleScore | null = null): Snapshot | null {
  if (!s.latents) return null;
  const latest = s.training.latest;
  return {
    id,
    title: describeRun(s.settings),
    step: s.training.step,
    settings: s.settings,
    latents: s.latents,
    terms: s.model?.terms ?? [],
    values: latest ? { terms: latest.terms, negativeElbo: latest.negativeElbo, objective: latest.objective, klPerDim: latest.klPerDim } : null,
    mig: s.disentanglement.latest?.mig ?? null,
    activeUnits: s.disentanglement.latest?.activeUnits ?? null,
    mutualInformation: s.disentanglement.latest?.mutualInformation ?? null,
    traversal,
    ...(score ? { quality: { step: score.step, frechetDistance: score.frechetDistance, sharpnessRatio: score.sharpnessRatio, confidence: score.confidence } } : {}),
  };
}

export function withSnapshot(snapshots: readonly Snapshot[], snapshot: Snapshot): Snapshot[] {
  return [...snapshots, snapshot].slice(-SNAPSHOTS_KEPT);
}

/** A short title of a run's settings, for snapshot cards. */
export function describeRun(s: Settings): string {
  return `β = ${formatShort(s.beta)}, z = ${s.latentDim}, ${DATASETS[s.dataset].shortName}`;
}

/** Three significant digits without trailing zeros (or a trailing dot): 2.0001 → "2", 0.250 → "0.25". */
export function formatShort(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)));
}
