/**
 * The scatter's geometry, pure: its size for a width, the view radius that covers the points (it
 * grows at once and shrinks only when the points have drawn well inside it), the scales from
 * latent units to pixels (equal units on both axes), and where the points of a new snapshot start
 * their glide (their old positions, matched by test-set index).
 */
import { scaleLinear, type ScaleLinear } from 'd3';

export const MARGIN = { top: 10, right: 12, bottom: 34, left: 42 };

export interface PlotSize {
  width: number;
  height: number;
  plotW: number;
  plotH: number;
}

export interface ViewScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

/** The scatter's box for a panel width: almost square, between 280 and 640 px high. */
export function plotSize(width: number): PlotSize {
  const height = width > 0 ? Math.max(280, Math.min(640, Math.round(width * 0.95 + 24))) : 0;
  return {
    width,
    height,
    plotW: Math.max(1, width - MARGIN.left - MARGIN.right),
    plotH: Math.max(1, height - MARGIN.top - MARGIN.bottom),
  };
}

/** Scales showing [−r, r] along the shorter side of the plot, the same units per pixel on both axes. */
export function viewScales(size: PlotSize, r: number): ViewScales {
  const aspect = size.plotW / size.plotH;
  const rx = r * Math.max(1, aspect);
  const ry = r * Math.max(1, 1 / aspect);
  return { x: scaleLinear([-rx, rx], [0, size.plotW]), y: scaleLinear([-ry, ry], [size.plotH, 0]) };
}

/** About one tick per 70 px, at least 4. */
export function tickCount(pixels: number): number {
  return Math.max(4, Math.round(pixels / 70));
}

/** Half-width of the (shorter side of the) view that covers the points: at least 3, in steps of ½. */
export function neededRadius(xy: Float32Array): number {
  let m = 0;
  for (let i = 0; i < xy.length; i++) {
    const v = Math.abs(xy[i]);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return Math.max(3, Math.ceil(m * 1.06 * 2) / 2);
}

/** The view radius for new points: what they need when starting afresh or when they outgrow the view or draw well inside it; else unchanged. */
export function nextRadius(current: number, needed: number, fresh: boolean): number {
  return fresh || needed > current || needed < current * 0.6 ? needed : current;
}

/** A dot's radius in px: larger on wide plots, smaller when there are many dots. */
export function dotRadius(plotW: number, count: number): number {
  return Math.max(1.4, Math.min(2.6, plotW / 210)) * (count > 5000 ? 0.8 : 1);
}

/** Start positions for a new snapshot: each point's current position, matched by test-set index. */
export function alignPositions(prev: Float32Array, prevIdx: Int32Array, nextIdx: Int32Array, fallback: Float32Array): Float32Array {
  const out = Float32Array.from(fallback);
  let same = prevIdx.length === nextIdx.length;
  for (let k = 0; same && k < nextIdx.length; k++) if (prevIdx[k] !== nextIdx[k]) same = false;
  if (same) {
    out.set(prev.subarray(0, out.length));
    return out;
  }
  const where = new Map<number, number>();
  for (let k = 0; k < prevIdx.length; k++) where.set(prevIdx[k], k);
  for (let k = 0; k < nextIdx.length; k++) {
    const j = where.get(nextIdx[k]);
    if (j !== undefined) {
      out[2 * k] = prev[2 * j];
      out[2 * k + 1] = prev[2 * j + 1];
    }
  }
  return out;
}
