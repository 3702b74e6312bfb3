/**
 * Colouring the latent scatter by a ground-truth factor (Shapes: shape, scale, orientation, x, y)
 * and describing a point's factors in words. Pure functions, no DOM.
 *
 * Ordinal factors (scale, orientation, position) get a sequential scale: value index v of a factor
 * with n values sits at t = v / (n − 1) on viridis. Categorical factors (shape) use the class
 * palette, so "colour by shape" looks like "colour by class" on Shapes.
 */
import { interpolateViridis } from 'd3';
import { classColor } from './colors';

export interface FactorInfo {
  names: string[];
  sizes: number[];
}

/** Factors whose values are categories, not an ordered scale. */
const CATEGORICAL = new Set(['shape']);
/** Factors whose values are positions on a grid: shown as their index, like pixel coordinates. */
const POSITIONAL = new Set(['x', 'y', 'posX', 'posY', 'position x', 'position y']);

/**
 * The part of viridis used: its last stretch is a pale yellow that fades into the white panel, so
 * the scale stops a little short of it.
 */
export const SEQUENTIAL_RANGE: readonly [number, number] = [0, 0.92];

export function isCategoricalFactor(name: string): boolean {
  return CATEGORICAL.has(name);
}

/** Where value index `value` of a factor with `size` values sits on the scale: v / (size − 1), in [0, 1]. */
export function factorFraction(value: number, size: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(size) || size <= 1) return 0.5;
  const t = value / (size - 1);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** The sequential colour at fraction t in [0, 1] (clamped), as a CSS colour string. */
export function sequentialColor(t: number): string {
  const c = Number.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0.5;
  const [lo, hi] = SEQUENTIAL_RANGE;
  return interpolateViridis(lo + (hi - lo) * c);
}

/** The colour of value index `value` of factor `name` (with `size` values). */
export function factorColor(name: string, value: number, size: number): string {
  return isCategoricalFactor(name) ? classColor(value) : sequentialColor(factorFraction(value, size));
}

/** The colour of each of a factor's values, index by index. */
export function factorPalette(name: string, size: number): string[] {
  return Array.from({ length: Math.max(0, Math.floor(size)) }, (_, v) => factorColor(name, v, size));
}

export interface GradientStop {
  /** 0..1 along the bar. */
  offset: number;
  color: string;
}

/** `count` (≥ 2) evenly spaced stops of the sequential scale, for a legend's gradient bar. */
export function gradientStops(count = 9): GradientStop[] {
  const n = Math.max(2, Math.floor(count));
  return Array.from({ length: n }, (_, i) => ({ offset: i / (n - 1), color: sequentialColor(i / (n - 1)) }));
}

/** A CSS linear-gradient of the stops, e.g. for a legend bar's background. */
export function gradientCss(stops: readonly GradientStop[], direction = 'to right'): string {
  const parts = stops.map((s) => `${s.color} ${+(s.offset * 100).toFixed(2)}%`);
  return `linear-gradient(${direction}, ${parts.join(', ')})`;
}

/**
 * One factor value in words: a category's name ("heart"), a position's grid index ("5"), or an
 * ordinal value as its rank among the factor's values ("3/6" = the 3rd of 6 scales).
 * `categoryNames` names a categorical factor's values (Shapes: the class names).
 */
export function factorValueText(name: string, value: number, size: number, categoryNames?: readonly string[]): string {
  if (!Number.isFinite(value)) return '?';
  if (isCategoricalFactor(name)) return categoryNames?.[value] ?? String(value);
  if (POSITIONAL.has(name)) return String(value);
  return `${value + 1}/${size}`;
}

/**
 * A point's factors in one line, "shape heart · scale 3/6 · orientation 12/40 · x 5 · y 30".
 * `values` holds the point's factor value indices, in `info.names` order.
 */
export function describeFactors(values: ArrayLike<number>, info: FactorInfo, categoryNames?: readonly string[]): string {
  const parts: string[] = [];
  for (let f = 0; f < info.names.length && f < values.length; f++) {
    parts.push(`${info.names[f]} ${factorValueText(info.names[f], values[f], info.sizes[f], categoryNames)}`);
  }
  return parts.join(' · ');
}

/** Words for the two ends of a known factor's scale (legend labels); value ranks otherwise. */
export function factorEnds(name: string, size: number): [string, string] {
  switch (name) {
    case 'scale':
      return ['small', 'large'];
    case 'orientation':
      // dSprites' orientations are evenly spaced over [0, 2π), so the last is one step short of 360°
      return ['0°', `${Math.round((360 * Math.max(0, size - 1)) / Math.max(1, size))}°`];
    case 'x':
    case 'posX':
    case 'position x':
      return ['left', 'right'];
    case 'y':
    case 'posY':
    case 'position y':
      return ['top', 'bottom'];
    default:
      return POSITIONAL.has(name) ? ['0', String(size - 1)] : ['1', String(size)];
  }
}

/** Column `factor` of row-major [count, factorCount] factor values. */
export function factorColumn(values: ArrayLike<number>, count: number, factorCount: number, factor: number): Uint16Array {
  const out = new Uint16Array(Math.max(0, count));
  if (factor < 0 || factor >= factorCount) return out;
  for (let k = 0; k < count; k++) out[k] = values[k * factorCount + factor] ?? 0;
  return out;
}

/** Whether a scatter's point factors fit it: `count` rows of `info.names.length` values each. */
export function factorsFit(values: ArrayLike<number> | null | undefined, info: FactorInfo | null | undefined, count: number): boolean {
  return !!values && !!info && info.names.length > 0 && info.names.length === info.sizes.length && count > 0 && values.length === count * info.names.length;
}
