/**
 * The loss history behind the loss curves, keyed by the term ids the model declares (plus the
 * bound, NEGATIVE_ELBO_ID), bounded in size however long training runs: when a series outgrows
 * its budget, its oldest half is thinned by averaging neighbouring pairs, so recent steps stay at
 * full resolution and 100k steps still draw in a few thousand points.
 */
import { codesInUse, perplexity } from '../core/analysis/codebook';
import { NEGATIVE_ELBO_ID, type LossValues } from '../core/objective/terms';

/** The series of a discrete latent's usage beside the terms: the perplexity of code usage and the codes in use. */
export const PERPLEXITY_ID = 'perplexity';
export const CODES_IN_USE_ID = 'codesInUse';

export interface HistoryPoint {
  step: number;
  /** Each declared term's value and the −ELBO (under NEGATIVE_ELBO_ID), by id. */
  values: Record<string, number>;
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

/** A history point's values from a step's or an evaluation's numbers. */
export function pointValues(values: Pick<LossValues, 'terms' | 'negativeElbo' | 'codeUsage'>): Record<string, number> {
  const usage = values.codeUsage;
  const codes: Record<string, number> = usage?.length ? { [PERPLEXITY_ID]: perplexity(usage), [CODES_IN_USE_ID]: codesInUse(usage) } : {};
  return { ...values.terms, [NEGATIVE_ELBO_ID]: values.negativeElbo, ...codes };
}

function mean(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(b).map((k) => [k, a[k] === undefined ? b[k] : (a[k] + b[k]) / 2]));
}

function mergePair(a: HistoryPoint, b: HistoryPoint): HistoryPoint {
  return {
    step: b.step,
    values: mean(a.values, b.values),
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

/** Exponential moving average of every value for the smoothed training curve (bias-corrected at the start). */
export function smooth(series: readonly HistoryPoint[], weight: number): HistoryPoint[] {
  if (weight <= 0) return series.slice();
  const out: HistoryPoint[] = [];
  const running: Record<string, number> = {};
  let norm = 0;
  for (const p of series) {
    norm = weight * norm + (1 - weight);
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(p.values)) {
      running[k] = weight * (running[k] ?? 0) + (1 - weight) * v;
      values[k] = running[k] / norm;
    }
    out.push({ ...p, values });
  }
  return out;
}
