/**
 * Telling anomalies from typical examples by a score (higher = more anomalous, e.g. −ELBO):
 * the ROC curve, its area, the rate of scores above a threshold, histograms and quantiles.
 * Typed arrays and numbers only.
 */

/** The finite-or-infinite scores of a list, sorted ascending (NaN dropped). */
export function sortedScores(scores: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(Array.prototype.filter.call(scores, (v: number) => !Number.isNaN(v)) as number[]);
  return out.sort();
}

/**
 * Area under the ROC curve for telling `positives` (anomalies) from `negatives` (typical) by
 * their score: the probability that a random positive scores above a random negative, ties
 * counting half (the Mann–Whitney U statistic over n₊·n₋). 1 for perfectly separated scores,
 * 0.5 for identical distributions, 0 when the anomalies score lower. NaN without both kinds.
 */
export function rocAuc(negatives: ArrayLike<number>, positives: ArrayLike<number>): number {
  const neg = sortedScores(negatives);
  const pos = sortedScores(positives);
  if (neg.length === 0 || pos.length === 0) return Number.NaN;
  // for each positive: negatives strictly below it, and equal to it (two pointers over sorted lists)
  let below = 0;
  let upTo = 0;
  let u = 0;
  for (let j = 0; j < pos.length; j++) {
    const v = pos[j];
    while (below < neg.length && neg[below] < v) below++;
    if (upTo < below) upTo = below;
    while (upTo < neg.length && neg[upTo] <= v) upTo++;
    u += below + 0.5 * (upTo - below);
  }
  return u / (neg.length * pos.length);
}

export interface RocCurve {
  /** False-positive rates (typical examples flagged), from 0 to 1, non-decreasing. */
  fpr: number[];
  /** True-positive rates (anomalies flagged) at the same thresholds. */
  tpr: number[];
  /** The score threshold of each point ("flag scores ≥ threshold"); +∞ at the first point. */
  thresholds: number[];
  auc: number;
}

/**
 * The ROC curve: for every threshold between distinct scores, the fraction of negatives and of
 * positives at or above it, from (0, 0) (flag nothing) to (1, 1) (flag everything). Thinned to at
 * most `maxPoints` points (the area is computed exactly, not from the thinned curve).
 */
export function rocCurve(negatives: ArrayLike<number>, positives: ArrayLike<number>, maxPoints = 256): RocCurve {
  const neg = sortedScores(negatives);
  const pos = sortedScores(positives);
  const auc = rocAuc(neg, pos);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  if (neg.length === 0 || pos.length === 0) return { fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, -Infinity], auc };
  // walk the scores from the top: each distinct value is a threshold
  let i = neg.length - 1;
  let j = pos.length - 1;
  while (i >= 0 || j >= 0) {
    const v = Math.max(i >= 0 ? neg[i] : -Infinity, j >= 0 ? pos[j] : -Infinity);
    while (i >= 0 && neg[i] === v) i--;
    while (j >= 0 && pos[j] === v) j--;
    fpr.push((neg.length - 1 - i) / neg.length);
    tpr.push((pos.length - 1 - j) / pos.length);
    thresholds.push(v);
  }
  if (fpr.length <= maxPoints) return { fpr, tpr, thresholds, auc };
  // thin evenly by index, keeping both ends
  const keep = Array.from({ length: maxPoints }, (_, k) => Math.round((k * (fpr.length - 1)) / (maxPoints - 1)));
  return { fpr: keep.map((k) => fpr[k]), tpr: keep.map((k) => tpr[k]), thresholds: keep.map((k) => thresholds[k]), auc };
}

/** The fraction of scores at or above `threshold` (flagged as anomalous); NaN scores are not counted. */
export function rateAtOrAbove(scores: ArrayLike<number>, threshold: number): number {
  let n = 0;
  let above = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (Number.isNaN(v)) continue;
    n++;
    if (v >= threshold) above++;
  }
  return n > 0 ? above / n : Number.NaN;
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values, linearly interpolated. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.max(0, Math.min(1, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The fraction of ascending `sorted` values strictly below v (v's percentile rank, 0…1). */
export function fractionBelow(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length ? lo / sorted.length : Number.NaN;
}

/**
 * Bin edges from lo to hi: `bins` + 1 values, evenly spaced, or evenly spaced in log(v) when
 * `log` (lo > 0), for scores that span orders of magnitude (noise scores hundreds of nats
 * above digits).
 */
export function binEdges(lo: number, hi: number, bins: number, log = false): number[] {
  const n = Math.max(1, Math.floor(bins));
  if (!(hi > lo)) hi = lo + 1;
  if (log && lo > 0) {
    const a = Math.log(lo);
    const b = Math.log(hi);
    return Array.from({ length: n + 1 }, (_, k) => Math.exp(a + ((b - a) * k) / n));
  }
  return Array.from({ length: n + 1 }, (_, k) => lo + ((hi - lo) * k) / n);
}

/**
 * Counts of values per bin [edges[k], edges[k + 1]) (the last bin includes its right edge);
 * values outside the edges are counted in `below` / `above`, NaN nowhere.
 */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): { counts: number[]; below: number; above: number } {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(0, bins)).fill(0);
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v < edges[0]) {
      below++;
      continue;
    }
    if (v > edges[bins]) {
      above++;
      continue;
    }
    // binary search for the bin
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return { counts, below, above };
}

/** Indices of the `k` smallest and `k` largest finite values (ascending and descending). */
export function extremes(values: ArrayLike<number>, k: number): { lowest: number[]; highest: number[] } {
  const order = Array.from({ length: values.length }, (_, i) => i).filter((i) => Number.isFinite(values[i]));
  order.sort((a, b) => values[a] - values[b] || a - b);
  const n = Math.min(k, order.length);
  return { lowest: order.slice(0, n), highest: order.slice(order.length - n).reverse() };
}
