/**
 * The loss history behind the loss curves, bounded in size however long training runs: when a
 * series outgrows its budget, its oldest half is thinned by averaging neighbouring pairs, so
 * recent steps stay at full resolution and 100k steps still draw in a few thousand points.
 */
export interface HistoryPoint {
  step: number;
  reconstruction: number;
  kl: number;
  negativeElbo: number;
  /** The KL weight in force: β, or β(t) under a warm-up or cyclical schedule, γ under capacity annealing. */
  beta: number;
  /** The KL target C(t) under capacity annealing (Burgess et al. 2018). */
  capacity?: number;
}

/** Something that happened at a step and belongs on the time axis. */
export interface HistoryMarker {
  step: number;
  kind: 'beta' | 'reset' | 'diverged' | 'learningRate';
  label: string;
}

export interface LossHistory {
  train: HistoryPoint[];
  test: HistoryPoint[];
  markers: HistoryMarker[];
}

export const HISTORY_BUDGET = 2000;

export function emptyHistory(): LossHistory {
  return { train: [], test: [], markers: [] };
}

function mergePair(a: HistoryPoint, b: HistoryPoint): HistoryPoint {
  return {
    step: b.step,
    reconstruction: (a.reconstruction + b.reconstruction) / 2,
    kl: (a.kl + b.kl) / 2,
    negativeElbo: (a.negativeElbo + b.negativeElbo) / 2,
    beta: b.beta,
    ...(a.capacity !== undefined && b.capacity !== undefined ? { capacity: (a.capacity + b.capacity) / 2 } : {}),
  };
}

/** Append a point; returns a new array (React state), thinned when over budget. */
export function appendPoint(series: HistoryPoint[], point: HistoryPoint, budget = HISTORY_BUDGET): HistoryPoint[] {
  const next = [...series, point];
  if (next.length <= budget) return next;
  const half = Math.floor(next.length / 2);
  const thinned: HistoryPoint[] = [];
  for (let i = 0; i + 1 < half; i += 2) thinned.push(mergePair(next[i], next[i + 1]));
  if (half % 2 === 1) thinned.push(next[half - 1]);
  return [...thinned, ...next.slice(half)];
}

/** Exponential moving average for the smoothed training curve (bias-corrected at the start). */
export function smooth(series: readonly HistoryPoint[], weight: number): HistoryPoint[] {
  if (weight <= 0) return series.slice();
  const out: HistoryPoint[] = [];
  let r = 0, k = 0, e = 0, norm = 0;
  for (const p of series) {
    r = weight * r + (1 - weight) * p.reconstruction;
    k = weight * k + (1 - weight) * p.kl;
    e = weight * e + (1 - weight) * p.negativeElbo;
    norm = weight * norm + (1 - weight);
    out.push({ ...p, reconstruction: r / norm, kl: k / norm, negativeElbo: e / norm });
  }
  return out;
}
