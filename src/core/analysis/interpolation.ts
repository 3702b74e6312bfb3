/**
 * Paths between two latent points, and blends between two images, for the interpolation tool.
 * Typed arrays only (no tfjs): the worker decodes the path, the page draws it.
 *
 * Linear interpolation z(t) = (1 − t)·a + t·b cuts through the middle of the prior: in d
 * dimensions N(0, I) puts almost all its mass near the sphere of radius √d, and the midpoint of
 * two typical codes is shorter than either (by a factor cos(Ω/2) for codes at angle Ω), a region
 * the decoder has rarely seen. The spherical path (White 2016, "Sampling generative networks")
 * turns the direction along the great circle from a to b and moves the length linearly from |a|
 * to |b|, so every point on it is as long as the endpoints are.
 */

export type InterpolationKind = 'linear' | 'spherical';

export const INTERPOLATION_KINDS: readonly { id: InterpolationKind; label: string }[] = [
  { id: 'linear', label: 'linear' },
  { id: 'spherical', label: 'spherical' },
];

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** (1 − t)·a + t·b. */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/**
 * A unit vector orthogonal to the unit vector u (for turning between opposite directions, where
 * the great circle is not unique): Gram–Schmidt on the axis along which u is smallest.
 */
function orthogonalTo(u: Float64Array): Float64Array {
  let axis = 0;
  for (let i = 1; i < u.length; i++) if (Math.abs(u[i]) < Math.abs(u[axis])) axis = i;
  const w = new Float64Array(u.length);
  w[axis] = 1;
  const c = u[axis];
  for (let i = 0; i < u.length; i++) w[i] -= c * u[i];
  const n = norm(w);
  for (let i = 0; i < w.length; i++) w[i] /= n;
  return w;
}

/**
 * The spherical path at t: the direction turns along the great circle from â to b̂,
 *   û(t) = sin((1 − t)Ω)/sin Ω · â + sin(tΩ)/sin Ω · b̂,   cos Ω = â·b̂,
 * and the length moves linearly, |z(t)| = (1 − t)|a| + t|b|, so it stays between |a| and |b|.
 * (Slerp applied to a and b themselves would overshoot the longer norm for wide angles.)
 * With a zero endpoint there is no direction to turn from: the path is the straight line.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  const d = a.length;
  const na = norm(a);
  const nb = norm(b);
  if (d < 2 || na === 0 || nb === 0) return lerp(a, b, t);
  const ua = Float64Array.from(a, (v) => v / na);
  const ub = Float64Array.from(b, (v) => v / nb);
  let cos = 0;
  for (let i = 0; i < d; i++) cos += ua[i] * ub[i];
  cos = Math.max(-1, Math.min(1, cos));
  const length = (1 - t) * na + t * nb;
  const out = new Float64Array(d);
  if (cos > 1 - 1e-12) {
    // the same direction: only the length changes
    for (let i = 0; i < d; i++) out[i] = length * ua[i];
    return out;
  }
  let omega = Math.acos(cos);
  let target: Float64Array = ub;
  if (cos < -1 + 1e-12) {
    // opposite directions: turn through a perpendicular (any great circle is as short)
    target = orthogonalTo(ua);
    omega = Math.PI;
    const angle = t * omega;
    for (let i = 0; i < d; i++) out[i] = length * (Math.cos(angle) * ua[i] + Math.sin(angle) * target[i]);
    return out;
  }
  const s = Math.sin(omega);
  const wa = Math.sin((1 - t) * omega) / s;
  const wb = Math.sin(t * omega) / s;
  for (let i = 0; i < d; i++) out[i] = length * (wa * ua[i] + wb * target[i]);
  return out;
}

/** The fractions 0, 1/(n − 1), …, 1 of an n-point path (n ≥ 2). */
export function pathFractions(steps: number): number[] {
  const n = Math.max(2, Math.floor(steps));
  return Array.from({ length: n }, (_, i) => i / (n - 1));
}

/**
 * `steps` points from a to b (both ends included), row-major [steps, d]. Spherical needs at
 * least two dimensions (a 1-D "sphere" is two points); in 1-D it is the straight line.
 */
export function interpolationPath(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, kind: InterpolationKind): Float32Array {
  if (a.length !== b.length) throw new Error(`the endpoints have ${a.length} and ${b.length} dimensions`);
  const d = a.length;
  const fractions = pathFractions(steps);
  const out = new Float32Array(fractions.length * d);
  fractions.forEach((t, k) => {
    // the ends exactly, not up to rounding in the formula
    const z = t === 0 ? Float64Array.from(a) : t === 1 ? Float64Array.from(b) : kind === 'spherical' ? slerp(a, b, t) : lerp(a, b, t);
    out.set(z, k * d);
  });
  return out;
}

/**
 * Pixel-space blends (1 − t)·x_a + t·x_b of two images (each `pixels` long), at the same
 * fractions as the latent path, row-major [steps, pixels]: what interpolating without a model
 * looks like (a cross-fade, two faint digits on top of each other).
 */
export function pixelBlends(imageA: ArrayLike<number>, imageB: ArrayLike<number>, steps: number): Float32Array {
  if (imageA.length !== imageB.length) throw new Error(`the images have ${imageA.length} and ${imageB.length} pixels`);
  const p = imageA.length;
  const fractions = pathFractions(steps);
  const out = new Float32Array(fractions.length * p);
  fractions.forEach((t, k) => {
    for (let i = 0; i < p; i++) out[k * p + i] = (1 - t) * imageA[i] + t * imageB[i];
  });
  return out;
}

/** The Euclidean norms of the rows of a row-major [n, d] array. */
export function rowNorms(rows: Float32Array, d: number): number[] {
  return Array.from({ length: rows.length / d }, (_, k) => norm(rows.subarray(k * d, (k + 1) * d)));
}
