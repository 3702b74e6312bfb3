/**
 * Pure helpers behind the loss chart: y-domains that stay readable when the first steps are huge,
 * a log domain that refuses non-positive values, nearest-point lookup for the hover rule,
 * per-pixel min/max decimation, tick choice and number formatting. No React, no DOM.
 */
import { scaleLinear, scaleLog } from 'd3';

/**
 * One curve's values, read through an accessor so the chart can pass its history arrays as they
 * are (no per-render copies). Points are in step order.
 */
export interface ValueSeries<P extends { step: number } = { step: number }> {
  points: readonly P[];
  value: (p: P) => number;
  /**
   * A noisy series (the raw, unsmoothed training averages): it only pulls the domain through the
   * lower `softQuantile`, so its spikes may be clipped while the smoothed curves stay whole.
   */
  soft?: boolean;
}

export interface DomainOptions {
  /**
   * Fraction of the step range, from its start, treated as warm-up: its values may fall off the
   * top of the chart (the loss at step 0 is several times the loss a few hundred steps later).
   */
  warmupFraction?: number;
  /** Quantile of the post-warm-up values used as the upper limit (its mirror for the lower one). */
  quantile?: number;
  /** The same for soft (noisy) samples. */
  softQuantile?: number;
  /** Padding added on each side, as a fraction of the span. */
  padding?: number;
  /** Values that must be inside the domain whatever the quantiles say (e.g. the latest values). */
  include?: readonly number[];
}

export interface YDomain {
  domain: [number, number];
  /**
   * A curve leaves the chart: some value of a non-soft series is outside the domain (soft, noisy
   * series are expected to poke out and do not count).
   */
  clipped: boolean;
  /** …and not only during the warm-up. */
  clippedRecent: boolean;
}

const DEFAULTS = { warmupFraction: 0.1, quantile: 0.998, softQuantile: 0.95, padding: 0.06 };
/** Below this many post-warm-up values, the whole series counts as recent. */
const MIN_RECENT = 8;
/** The log domain never spans more than this many decades. */
const MAX_DECADES = 6;

/** The q-quantile (linear interpolation) of ascending-sorted values; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0];
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Nearest-rank order statistics for the limits: unlike interpolation, a lone extreme value never
 * leaks part of itself into the limit once the quantile excludes it.
 */
function rankValue(sorted: Float64Array, q: number, empty: number): number {
  return sorted.length ? sorted[Math.round(Math.min(Math.max(q, 0), 1) * (sorted.length - 1))] : empty;
}
const upperRank = (sorted: Float64Array, q: number) => rankValue(sorted, q, -Infinity);
const lowerRank = (sorted: Float64Array, q: number) => rankValue(sorted, 1 - q, Infinity);

interface Extent {
  lo: number;
  hi: number;
  /** Smallest and largest value of any series. */
  min: number;
  max: number;
  /** The same for non-soft series (and `include`), over all steps and after the warm-up. */
  hardMin: number;
  hardMax: number;
  recentHardMin: number;
  recentHardMax: number;
}

/**
 * The robust extent of the values (log10 of them when `log`): the upper limit is a high quantile
 * of the part after the warm-up (or a value that must be shown); the lower limit the smallest value,
 * but at most one recent span below the recent low quantile, so a single wild value cannot flatten
 * everything else. Non-finite values (and, in log, non-positive ones) are skipped.
 */
function robustExtent<P extends { step: number }>(series: readonly ValueSeries<P>[], log: boolean, opts: DomainOptions): Extent | null {
  const warmup = opts.warmupFraction ?? DEFAULTS.warmupFraction;
  const q = opts.quantile ?? DEFAULTS.quantile;
  const qSoft = opts.softQuantile ?? DEFAULTS.softQuantile;
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const tf = (v: number) => (log ? Math.log10(v) : v);

  let s0 = Infinity;
  let s1 = -Infinity;
  let hardTotal = 0;
  let softTotal = 0;
  let min = Infinity;
  let max = -Infinity;
  let hardMin = Infinity;
  let hardMax = -Infinity;
  for (const { points, value, soft } of series) {
    for (const p of points) {
      const v = value(p);
      if (!ok(v) || !Number.isFinite(p.step)) continue;
      if (soft) softTotal++;
      else hardTotal++;
      if (p.step < s0) s0 = p.step;
      if (p.step > s1) s1 = p.step;
      if (v < min) min = v;
      if (v > max) max = v;
      if (!soft && v < hardMin) hardMin = v;
      if (!soft && v > hardMax) hardMax = v;
    }
  }
  const include = (opts.include ?? []).filter(ok).map(tf);
  if (hardTotal + softTotal === 0 && include.length === 0) return null;
  const tfx = (v: number) => (Number.isFinite(v) ? tf(v) : v);
  min = tfx(min);
  max = tfx(max);
  hardMin = tfx(hardMin);
  hardMax = tfx(hardMax);

  // The values after the warm-up; for a short run (too few of them), all values.
  const fill = (cut: number) => {
    const hard = new Float64Array(hardTotal);
    const soft = new Float64Array(softTotal);
    let h = 0;
    let k = 0;
    for (const { points, value, soft: isSoft } of series) {
      for (const p of points) {
        const v = value(p);
        if (!ok(v) || !Number.isFinite(p.step) || p.step < cut) continue;
        if (isSoft) soft[k++] = tf(v);
        else hard[h++] = tf(v);
      }
    }
    return { hard: hard.subarray(0, h).sort(), soft: soft.subarray(0, k).sort() };
  };
  let recent = fill(s0 + warmup * (s1 - s0));
  if (recent.hard.length + recent.soft.length < MIN_RECENT) recent = fill(-Infinity);

  let hi = Math.max(upperRank(recent.hard, q), upperRank(recent.soft, qSoft));
  const recentLow = Math.min(lowerRank(recent.hard, q), lowerRank(recent.soft, qSoft));
  let lo = min;
  if (Number.isFinite(recentLow) && Number.isFinite(hi)) lo = Math.max(min, recentLow - Math.max(hi - recentLow, 0));
  let recentHardMin = recent.hard.length ? recent.hard[0] : Infinity;
  let recentHardMax = recent.hard.length ? recent.hard[recent.hard.length - 1] : -Infinity;
  for (const v of include) {
    hi = Math.max(hi, v);
    lo = Math.min(lo, v);
    min = Math.min(min, v);
    max = Math.max(max, v);
    hardMin = Math.min(hardMin, v);
    hardMax = Math.max(hardMax, v);
    recentHardMin = Math.min(recentHardMin, v);
    recentHardMax = Math.max(recentHardMax, v);
  }
  if (!Number.isFinite(lo)) lo = hi;
  if (!Number.isFinite(hi)) hi = lo;
  return { lo, hi, min, max, hardMin, hardMax, recentHardMin, recentHardMax };
}

/**
 * Linear y-domain of the visible values, padded; starts at 0 rather than just below it when every
 * value is non-negative. Early outliers (before `warmupFraction` of the step range) do not stretch it.
 */
export function linearYDomain<P extends { step: number }>(series: readonly ValueSeries<P>[], opts: DomainOptions = {}): YDomain {
  const ext = robustExtent(series, false, opts);
  if (!ext) return { domain: [0, 1], clipped: false, clippedRecent: false };
  let { lo, hi } = ext;
  if (hi - lo <= 1e-9 * Math.max(1, Math.abs(hi))) {
    const half = Math.max(Math.abs(hi) * 0.05, 0.5);
    lo -= half;
    hi += half;
    if (ext.min >= 0 && lo < 0) lo = 0;
  }
  const pad = (hi - lo) * (opts.padding ?? DEFAULTS.padding);
  let lower = lo - pad;
  const upper = hi + pad;
  if (ext.min >= 0 && lower < 0) lower = 0;
  return clipping([lower, upper], lower, upper, ext);
}

function clipping(domain: [number, number], lower: number, upper: number, ext: Extent): YDomain {
  return {
    domain,
    clipped: ext.hardMax > upper || ext.hardMin < lower,
    clippedRecent: ext.recentHardMax > upper || ext.recentHardMin < lower,
  };
}

/** Whether a log axis can show every finite value (and every `include`d one): all must be > 0. */
export function allPositive<P extends { step: number }>(series: readonly ValueSeries<P>[], include: readonly number[] = []): boolean {
  for (const { points, value } of series) {
    for (const p of points) {
      const v = value(p);
      if (Number.isFinite(v) && v <= 0) return false;
    }
  }
  return include.every((v) => !Number.isFinite(v) || v > 0);
}

/**
 * Log y-domain, or null when any visible value is ≤ 0 (a Gaussian likelihood's density can make
 * the reconstruction term and −ELBO negative): the caller must then stay linear.
 */
export function logYDomain<P extends { step: number }>(series: readonly ValueSeries<P>[], opts: DomainOptions = {}): YDomain | null {
  if (!allPositive(series, opts.include)) return null;
  const ext = robustExtent(series, true, opts);
  if (!ext) return null;
  let { lo, hi } = ext;
  lo = Math.max(lo, hi - MAX_DECADES);
  if (hi - lo < 0.3) {
    const mid = (hi + lo) / 2;
    lo = mid - 0.15;
    hi = mid + 0.15;
  }
  const pad = (hi - lo) * (opts.padding ?? DEFAULTS.padding);
  const lower = lo - pad;
  const upper = hi + pad;
  return clipping([10 ** lower, 10 ** upper], lower, upper, ext);
}

/** Index of the point whose step is nearest `step` (ties go to the earlier), -1 when empty. Steps ascending. */
export function nearestIndex(points: readonly { step: number }[], step: number): number {
  const n = points.length;
  if (n === 0 || Number.isNaN(step)) return -1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  if (lo === n) return n - 1;
  return step - points[lo - 1].step <= points[lo].step - step ? lo - 1 : lo;
}

/**
 * Per-pixel min/max decimation: within each pixel column (x in pixels, ascending) keep the first,
 * lowest, highest and last point, in their original order. The drawn line is visually identical
 * but never has more than ~4 vertices per pixel. Non-finite y values are kept (they break the line).
 */
export function decimateMinMax<T>(points: readonly T[], x: (p: T) => number, y: (p: T) => number): T[] {
  const n = points.length;
  if (n <= 4) return points.slice();
  const out: T[] = [];
  let col = NaN;
  let first = -1;
  let last = -1;
  let iMin = -1;
  let iMax = -1;
  let vMin = Infinity;
  let vMax = -Infinity;
  const flush = () => {
    if (first < 0) return;
    // Emit first, the extremes in index order, last: each index once.
    const a = Math.min(iMin, iMax);
    const b = Math.max(iMin, iMax);
    out.push(points[first]);
    if (a !== first) out.push(points[a]);
    if (b !== a && b !== first) out.push(points[b]);
    if (last !== b && last !== first) out.push(points[last]);
    first = last = iMin = iMax = -1;
  };
  for (let i = 0; i < n; i++) {
    const p = points[i];
    const v = y(p);
    if (!Number.isFinite(v)) {
      flush();
      out.push(p);
      col = NaN;
      continue;
    }
    const c = Math.floor(x(p));
    if (c !== col || first < 0) {
      flush();
      col = c;
      first = i;
      iMin = iMax = i;
      vMin = vMax = v;
    }
    last = i;
    if (v < vMin) {
      vMin = v;
      iMin = i;
    }
    if (v > vMax) {
      vMax = v;
      iMax = i;
    }
  }
  flush();
  return out;
}

/** Ticks of a linear y-axis, about one per `spacing` pixels. */
export function linearTicks(domain: readonly [number, number], pixelHeight: number, spacing = 42): number[] {
  const count = Math.max(2, Math.round(pixelHeight / spacing));
  return scaleLinear().domain(domain).ticks(count);
}

/** Ticks of a log y-axis: 1-2-5 per decade, thinned to powers of ten (or every other) when crowded. */
export function logTicks(domain: readonly [number, number], maxCount: number): number[] {
  const [a, b] = domain;
  if (!(a > 0) || !(b > a)) return [];
  const all = scaleLog().domain([a, b]).ticks();
  if (all.length <= maxCount) return all;
  const mantissa = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
  const oneTwoFive = all.filter((t) => [1, 2, 5].includes(mantissa(t)));
  if (oneTwoFive.length <= maxCount && oneTwoFive.length >= 2) return oneTwoFive;
  const decades = all.filter((t) => mantissa(t) === 1);
  if (decades.length <= maxCount) return decades.length >= 2 ? decades : all.filter((_, i) => i % Math.ceil(all.length / maxCount) === 0);
  const every = Math.ceil(decades.length / maxCount);
  return decades.filter((_, i) => i % every === 0);
}

export interface LabelBox {
  /** Pixel position of the thing labelled. */
  x: number;
  /** Label width in pixels (an estimate is fine). */
  width: number;
}

export interface PlacedLabel {
  /** Row from the axis upwards; -1 when there was no room (label hidden). */
  row: number;
  /** Left edge of the label in pixels. */
  left: number;
  anchor: 'start' | 'end';
}

/**
 * Place labels beside vertical lines: to the right of the line, or to its left near the right
 * edge; stack overlapping labels into up to `rows` rows and hide what still does not fit.
 */
export function placeLabels(boxes: readonly LabelBox[], plotWidth: number, rows = 2, gap = 4, offset = 3): PlacedLabel[] {
  const rowEnds: number[] = new Array(rows).fill(-Infinity);
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].x - boxes[b].x);
  const placed: PlacedLabel[] = new Array(boxes.length);
  for (const i of order) {
    const { x, width } = boxes[i];
    const anchor: 'start' | 'end' = x + offset + width > plotWidth ? 'end' : 'start';
    const left = anchor === 'start' ? x + offset : x - offset - width;
    const row = rowEnds.findIndex((end) => left >= end + gap);
    if (row >= 0) rowEnds[row] = left + width;
    placed[i] = { row, left, anchor };
  }
  return placed;
}

/**
 * Whether a series' values actually change (beyond float noise): the KL weight β(t) gets its own
 * line only under a schedule, not when it is the same constant at every step. Non-finite values
 * are ignored.
 */
export function varies<P>(points: readonly P[], value: (p: P) => number, relativeTolerance = 1e-9): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    const v = value(p);
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return false;
  return hi - lo > relativeTolerance * Math.max(1, Math.abs(hi), Math.abs(lo));
}

/** Domain of the secondary KL-weight axis: from 0 to the largest weight, rounded up to a tick. */
export function weightDomain(max: number): [number, number] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const [, top] = scaleLinear().domain([0, max]).nice(5).domain();
  return [0, top];
}
