/** ROC curves and their area against hand cases; histograms, quantiles and extremes. */
import { describe, expect, it } from 'vitest';
import { binEdges, extremes, fractionBelow, histogram, quantileOfSorted, rateAtOrAbove, rocAuc, rocCurve, sortedScores } from '../../../src/core/analysis/roc';

describe('ROC and AUC', () => {
  it('AUC is 1 for separated scores, 0 when the anomalies score lower, 0.5 for identical ones', () => {
    expect(rocAuc([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(rocAuc([4, 5, 6], [1, 2, 3])).toBe(0);
    expect(rocAuc([1, 2, 3], [1, 2, 3])).toBe(0.5);
    expect(rocAuc([7, 7, 7, 7], [7, 7])).toBe(0.5);
  });

  it('counts pairs, ties as half (a hand case)', () => {
    // positives 2, 4 against negatives 1, 2, 3: pairs won 1 + 0.5 (2 vs 1, 2) and 3 (4 vs all) = 4.5 of 6
    expect(rocAuc([1, 2, 3], [2, 4])).toBeCloseTo(4.5 / 6, 12);
    // unsorted input and NaN are fine
    expect(rocAuc([3, Number.NaN, 1, 2], [4, 2])).toBeCloseTo(4.5 / 6, 12);
    expect(rocAuc([], [1])).toBeNaN();
  });

  it('the curve runs from (0, 0) to (1, 1), non-decreasing, and its trapezoids add up to the AUC', () => {
    const neg = Array.from({ length: 300 }, (_, i) => Math.sin(i) * 3);
    const pos = Array.from({ length: 200 }, (_, i) => Math.cos(i * 1.3) * 3 + 1.5);
    const curve = rocCurve(neg, pos, 10_000);
    expect([curve.fpr[0], curve.tpr[0]]).toEqual([0, 0]);
    expect([curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let k = 1; k < curve.fpr.length; k++) {
      expect(curve.fpr[k]).toBeGreaterThanOrEqual(curve.fpr[k - 1]);
      expect(curve.tpr[k]).toBeGreaterThanOrEqual(curve.tpr[k - 1]);
      area += ((curve.fpr[k] - curve.fpr[k - 1]) * (curve.tpr[k] + curve.tpr[k - 1])) / 2;
    }
    expect(area).toBeCloseTo(curve.auc, 10);
    expect(curve.auc).toBeCloseTo(rocAuc(neg, pos), 12);
    const thin = rocCurve(neg, pos, 20);
    expect(thin.fpr.length).toBe(20);
    expect([thin.fpr[0], thin.fpr.at(-1)]).toEqual([0, 1]);
  });

  it('separated scores have a corner at (0, 1); the diagonal for identical ones', () => {
    const corner = rocCurve([1, 2], [3, 4]);
    expect(corner.fpr).toEqual([0, 0, 0, 0.5, 1]);
    expect(corner.tpr).toEqual([0, 0.5, 1, 1, 1]);
    const diagonal = rocCurve([1, 2], [1, 2]);
    expect(diagonal.fpr).toEqual([0, 0.5, 1]);
    expect(diagonal.tpr).toEqual([0, 0.5, 1]);
  });

  it('the rate of scores at or above a threshold (the false-positive rate on typical data)', () => {
    expect(rateAtOrAbove([1, 2, 3, 4], 3)).toBe(0.5);
    expect(rateAtOrAbove([1, 2, 3, 4], 10)).toBe(0);
    expect(rateAtOrAbove([Number.NaN], 0)).toBeNaN();
  });
});

describe('histograms and quantiles', () => {
  it('bins values, with what falls outside counted apart', () => {
    const edges = binEdges(0, 4, 4);
    expect(edges).toEqual([0, 1, 2, 3, 4]);
    expect(histogram([-1, 0, 0.5, 1, 3.99, 4, 9, Number.NaN], edges)).toEqual({ counts: [2, 1, 0, 2], below: 1, above: 1 });
  });

  it('log-spaced edges for scores over orders of magnitude', () => {
    const edges = binEdges(10, 1000, 2, true);
    expect(edges[1]).toBeCloseTo(100, 10);
    expect(edges[2]).toBeCloseTo(1000, 10);
  });

  it('quantiles, percentile ranks and the most and least typical', () => {
    const sorted = sortedScores([5, 1, 4, 2, 3]);
    expect(Array.from(sorted)).toEqual([1, 2, 3, 4, 5]);
    expect(quantileOfSorted(sorted, 0.5)).toBe(3);
    expect(quantileOfSorted(sorted, 0.125)).toBe(1.5);
    expect(fractionBelow(sorted, 3.5)).toBe(0.6);
    expect(fractionBelow(sorted, 0)).toBe(0);
    expect(extremes([5, 1, 4, Number.NaN, 2, 3], 2)).toEqual({ lowest: [1, 4], highest: [0, 2] });
  });
});
