/**
 * The pure half of the small latent scatters on snapshot cards and in the three-way comparison:
 * which two latent dimensions to show, a symmetric range (fixed, or fitted to the points), the
 * mapping of points to pixels with clipping to the frame, and a fair drawing order. No DOM.
 */
import { topKlDims } from '../../core/analysis/projection';

/** A square plot of `size` CSS pixels showing [−range, range]² inside a `pad`-pixel inset. */
export interface MiniFrame {
  size: number;
  pad: number;
  range: number;
}

/** Where each point goes and what happened to it. */
export interface MappedPoints {
  /** Row-major [count, 2] pixel positions (NaN for skipped points). */
  xy: Float32Array;
  /** 0 = inside the range, 1 = outside it and pinned to the frame's edge, 2 = not finite (skipped). */
  state: Uint8Array;
  clipped: number;
  skipped: number;
}

/** The range shared by every snapshot card, so their pictures compare: ±4 holds 99.97% of the prior per axis. */
export const SHARED_RANGE = 4;

/**
 * The two dimensions a card shows: both of a 2-D latent space, else the two with the largest KL
 * (in ascending index order). A missing or mismatched `klPerDim` falls back to z₁, z₂; a 1-D space
 * gets −1 for its absent second axis (plotted at 0).
 */
export function scatterDims(latentDim: number, klPerDim?: readonly number[] | null): [number, number] {
  if (latentDim <= 1) return [0, -1];
  if (latentDim === 2 || !klPerDim || klPerDim.length !== latentDim) return [0, 1];
  return topKlDims([...klPerDim]);
}

/**
 * The two dimensions along which the points spread most (largest variance of the means), in
 * ascending index order; for models without a meaningful per-dimension KL (the plain autoencoder).
 */
export function spreadDims(mu: ArrayLike<number>, count: number, dim: number): [number, number] {
  if (dim <= 1) return [0, -1];
  if (dim === 2) return [0, 1];
  const variance = new Array<number>(dim).fill(0);
  for (let i = 0; i < dim; i++) {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (let k = 0; k < count; k++) {
      const v = mu[k * dim + i];
      if (!Number.isFinite(v)) continue;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    }
    variance[i] = n > 1 ? m2 / (n - 1) : 0;
  }
  return topKlDims(variance);
}

/** The coordinate of `dim` in point k, 0 for an absent axis (dim < 0 or ≥ latentDim). */
function coord(mu: ArrayLike<number>, k: number, dim: number, d: number): number {
  return d >= 0 && d < dim ? mu[k * dim + d] : 0;
}

/** Pixels per latent unit. */
export function pixelsPerUnit(frame: MiniFrame): number {
  return (frame.size - 2 * frame.pad) / (2 * frame.range);
}

/** Horizontal pixel of latent value v (not clipped). */
export function toPixelX(v: number, frame: MiniFrame): number {
  return frame.pad + (v + frame.range) * pixelsPerUnit(frame);
}

/** Vertical pixel of latent value v (up is positive; not clipped). */
export function toPixelY(v: number, frame: MiniFrame): number {
  return frame.size - frame.pad - (v + frame.range) * pixelsPerUnit(frame);
}

/**
 * Map the means of `count` points (row-major [count, dim]) on `dims` to pixels. Coordinates
 * beyond ±range are pinned to the frame's edge (and counted), non-finite ones are skipped.
 */
export function mapPoints(mu: ArrayLike<number>, count: number, dim: number, dims: readonly [number, number], frame: MiniFrame): MappedPoints {
  const xy = new Float32Array(count * 2);
  const state = new Uint8Array(count);
  const r = frame.range;
  let clipped = 0;
  let skipped = 0;
  for (let k = 0; k < count; k++) {
    let x = coord(mu, k, dim, dims[0]);
    let y = coord(mu, k, dim, dims[1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      xy[2 * k] = NaN;
      xy[2 * k + 1] = NaN;
      state[k] = 2;
      skipped++;
      continue;
    }
    if (x < -r || x > r || y < -r || y > r) {
      x = Math.max(-r, Math.min(r, x));
      y = Math.max(-r, Math.min(r, y));
      state[k] = 1;
      clipped++;
    }
    xy[2 * k] = toPixelX(x, frame);
    xy[2 * k + 1] = toPixelY(y, frame);
  }
  return { xy, state, clipped, skipped };
}

/** The smallest "nice" half-range (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ) at least `v`. */
export function niceHalfRange(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  const decade = 10 ** Math.floor(Math.log10(v));
  for (const s of steps) {
    const candidate = s * decade;
    // Tolerate float noise (3.0000000004 is 3).
    if (candidate >= v * (1 - 1e-9)) return Number(candidate.toPrecision(6));
  }
  return 10 * decade;
}

export interface FitOptions {
  /** Share of points (by their larger |coordinate|) the range must hold; the rest may be pinned. */
  quantile?: number;
  /** Head-room above that, as a factor. */
  margin?: number;
  /** Never smaller than this (so the prior's 2σ circle fits). */
  min?: number;
}

/**
 * A symmetric half-range that fits the points on `dims`: the `quantile` of max(|x|, |y|) times
 * `margin`, rounded up to a nice number, at least `min`. A few stray points may fall outside (and
 * be pinned) rather than shrink everything else.
 */
export function fitHalfRange(mu: ArrayLike<number>, count: number, dim: number, dims: readonly [number, number], options: FitOptions = {}): number {
  const { quantile = 0.99, margin = 1.08, min = 2.5 } = options;
  const extent: number[] = [];
  for (let k = 0; k < count; k++) {
    const m = Math.max(Math.abs(coord(mu, k, dim, dims[0])), Math.abs(coord(mu, k, dim, dims[1])));
    if (Number.isFinite(m)) extent.push(m);
  }
  if (extent.length === 0) return niceHalfRange(min);
  extent.sort((a, b) => a - b);
  const q = extent[Math.min(extent.length - 1, Math.ceil(Math.min(1, Math.max(0, quantile)) * extent.length) - 1)] ?? 0;
  return niceHalfRange(Math.max(min, q * margin));
}

/**
 * Drawing order: the points in interleaved slices, by class within a slice, so no class is
 * always painted over the others while the colour changes stay few.
 */
export function drawOrder(labels: ArrayLike<number>, count: number, slices = 8): Int32Array {
  const out = new Int32Array(count);
  let o = 0;
  for (let s = 0; s < slices; s++) {
    const byLabel = new Map<number, number[]>();
    for (let k = s; k < count; k += slices) {
      const l = labels[k];
      let list = byLabel.get(l);
      if (!list) byLabel.set(l, (list = []));
      list.push(k);
    }
    for (const label of [...byLabel.keys()].sort((a, b) => a - b)) for (const k of byLabel.get(label)!) out[o++] = k;
  }
  return out;
}

/** Up to `max` column indices out of `n`, evenly spread, always the first and the last. */
export function pickColumns(n: number, max: number): number[] {
  if (n <= 0 || max <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max === 1) return [Math.floor((n - 1) / 2)];
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}
