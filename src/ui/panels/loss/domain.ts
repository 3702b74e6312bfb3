/**
 * The loss chart's y-domain, which must stay readable when the first steps are huge (the loss at
 * step 0 is several times the loss a few hundred steps later): a robust linear domain, a log domain
 * that refuses non-positive values, and the secondary KL-weight axis' domain. Pure functions.
 */
import { extent, quantileSorted as d3QuantileSorted, scaleLinear } from 'd3';

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
   * top of the chart.
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
  return d3QuantileSorted(Array.from(sorted), q) ?? NaN;
}

/**
 * Nearest-rank order statistics for the limits: unlike interpolation (quantileSorted), a lone
 * extreme value never leaks part of itself into the limit once the quantile excludes it.
 */
function rankValue(sorted: Float64Array, q: number, empty: number): number {
  return sorted.length ? sorted[Math.round(Math.min(Math.max(q, 0), 1) * (sorted.length - 1))] : empty;
}
const upperRank = (sorted: Float64Array, q: number) => rankValue(sorted, q, -Infinity);
const lowerRank = (sorted: Float64Array, q: number) => rankValue(sorted, 1 - q, Infinity);

const usable = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);

function* usableSteps<P extends { step: number }>(series: readonly ValueSeries<P>[], log: boolean): Generator<number> {
  for (const { points, value } of series) for (const p of points) if (Number.isFinite(p.step) && usable(value(p), log)) yield p.step;
}

/** The usable values (log10 of them in log) of the soft or the non-soft series at steps ≥ from, ascending. */
function sortedValues<P extends { step: number }>(series: readonly ValueSeries<P>[], soft: boolean, from: number, log: boolean): Float64Array {
  const out: number[] = [];
  for (const s of series) {
    if (!!s.soft !== soft) continue;
    for (const p of s.points) {
      const v = s.value(p);
      if (Number.isFinite(p.step) && p.step >= from && usable(v, log)) out.push(log ? Math.log10(v) : v);
    }
  }
  return Float64Array.from(out).sort();
}

interface Extent {
  lo: number;
  hi: number;
  /** Smallest value of any series (and `include`). */
  min: number;
  /** The extremes of the non-soft series (and `include`), over all steps and after the warm-up. */
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
  const include = (opts.include ?? []).filter((v) => usable(v, log)).map((v) => (log ? Math.log10(v) : v));

  const allHard = sortedValues(series, false, -Infinity, log);
  const allSoft = sortedValues(series, true, -Infinity, log);
  if (allHard.length + allSoft.length === 0 && include.length === 0) return null;
  const [hardMin = Infinity, hardMax = -Infinity] = extent(allHard);
  const [softMin = Infinity] = extent(allSoft);

  // The values after the warm-up; for a short run (too few of them), all values.
  const [s0 = 0, s1 = 0] = extent(usableSteps(series, log));
  const cut = s0 + warmup * (s1 - s0);
  let recentHard = sortedValues(series, false, cut, log);
  let recentSoft = sortedValues(series, true, cut, log);
  if (recentHard.length + recentSoft.length < MIN_RECENT) {
    recentHard = allHard;
    recentSoft = allSoft;
  }

  let hi = Math.max(upperRank(recentHard, q), upperRank(recentSoft, qSoft));
  const recentLow = Math.min(lowerRank(recentHard, q), lowerRank(recentSoft, qSoft));
  let min = Math.min(hardMin, softMin);
  let lo = min;
  if (Number.isFinite(recentLow) && Number.isFinite(hi)) lo = Math.max(min, recentLow - Math.max(hi - recentLow, 0));
  const [recentHardMin = Infinity, recentHardMax = -Infinity] = extent(recentHard);
  const [includeMin = Infinity, includeMax = -Infinity] = extent(include);
  hi = Math.max(hi, includeMax);
  lo = Math.min(lo, includeMin);
  min = Math.min(min, includeMin);
  if (!Number.isFinite(lo)) lo = hi;
  if (!Number.isFinite(hi)) hi = lo;
  return {
    lo,
    hi,
    min,
    hardMin: Math.min(hardMin, includeMin),
    hardMax: Math.max(hardMax, includeMax),
    recentHardMin: Math.min(recentHardMin, includeMin),
    recentHardMax: Math.max(recentHardMax, includeMax),
  };
}

function clipping(domain: [number, number], lower: number, upper: number, ext: Extent): YDomain {
  return {
    domain,
    clipped: ext.hardMax > upper || ext.hardMin < lower,
    clippedRecent: ext.recentHardMax > upper || ext.recentHardMin < lower,
  };
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

/** Domain of the secondary KL-weight axis: from 0 to the largest weight, rounded up to a tick. */
export function weightDomain(max: number): [number, number] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const [, top] = scaleLinear().domain([0, max]).nice(5).domain();
  return [0, top];
}
