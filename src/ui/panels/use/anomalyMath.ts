/**
 * What the anomaly panel draws, computed from the scores (pure): the histogram's domain and bins
 * per set, the default threshold, the rates at a threshold, ROC curves and AUCs by score.
 */
import { binEdges, histogram, quantileOfSorted, rateAtOrAbove, rocAuc, rocCurve, sortedScores, type RocCurve } from '../../../core/analysis/roc';
import type { ScoredSet } from '../../../worker/protocol';
import { NEGATIVE_ELBO } from '../../../state/analysis/state';

/** The scores of a set by key: '−ELBO' (negativeElbo) or a term id. */
export function scoresOf(set: ScoredSet, key: string): Float32Array {
  return key === NEGATIVE_ELBO ? set.negativeElbo : (set.terms[key] ?? new Float32Array(0));
}

export interface HistogramFrame {
  edges: number[];
  log: boolean;
  /** Per set: the fraction of its images in each bin. */
  fractions: number[][];
  maxFraction: number;
}

/**
 * Bins over what all sets span (each set's 0.5% to 99.5% quantiles, so one wild score does not
 * squash the rest), log-spaced when the scores are positive and span more than a factor of 4.
 */
export function histogramFrame(sets: readonly ScoredSet[], key: string, bins = 48): HistogramFrame {
  const sorted = sets.map((s) => sortedScores(scoresOf(s, key)));
  const present = sorted.filter((v) => v.length > 0);
  let lo = Math.min(...present.map((v) => quantileOfSorted(v, 0.005)));
  let hi = Math.max(...present.map((v) => quantileOfSorted(v, 0.995)));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi <= lo) hi = lo + Math.max(1, Math.abs(lo) * 0.1);
  const log = lo > 0 && hi / lo > 4;
  const edges = log ? binEdges(lo / 1.02, hi * 1.02, bins, true) : binEdges(lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo), bins);
  const fractions = sorted.map((values) => {
    const { counts } = histogram(values, edges);
    return counts.map((c) => (values.length ? c / values.length : 0));
  });
  return { edges, log, fractions, maxFraction: Math.max(1e-9, ...fractions.flat()) };
}

/** The test set's 95th percentile: a threshold with a 5% false-positive rate. */
export function defaultThreshold(test: ScoredSet, key: string): number {
  return quantileOfSorted(sortedScores(scoresOf(test, key)), 0.95);
}

export function ratesAt(sets: readonly ScoredSet[], key: string, threshold: number): number[] {
  return sets.map((s) => rateAtOrAbove(scoresOf(s, key), threshold));
}

/** ROC curves of each out-of-distribution set against the test set (sets[0]) by one score. */
export function rocCurves(sets: readonly ScoredSet[], key: string): RocCurve[] {
  const test = scoresOf(sets[0], key);
  return sets.slice(1).map((s) => rocCurve(test, scoresOf(s, key), 200));
}

/** AUC of each out-of-distribution set against the test set, for each score key. */
export function aucTable(sets: readonly ScoredSet[], keys: readonly string[]): number[][] {
  return sets.slice(1).map((s) => keys.map((key) => rocAuc(scoresOf(sets[0], key), scoresOf(s, key))));
}
