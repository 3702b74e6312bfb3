/**
 * From a d-dimensional latent space to a plane and back: two chosen coordinates, or the first two
 * principal components of the posterior means (power iteration on the covariance); the lift that
 * turns a point of the plane back into a full latent vector; a diagonal posterior's 1σ ellipse as
 * seen in the plane. Pure functions on typed arrays: no DOM, no tfjs.
 */

export interface Pca2 {
  /** Mean of the points, length dim. */
  mean: Float64Array;
  /** First and second principal directions: orthonormal, length dim each. */
  components: [Float64Array, Float64Array];
  /** Variance of the points along each component (the covariance's two largest eigenvalues). */
  variances: [number, number];
  /** Coordinates of a point (length ≥ dim) in the principal plane, relative to the mean. */
  project(point: ArrayLike<number>): [number, number];
}

export type ProjectionAxes = { kind: 'dims'; dims: [number, number] } | { kind: 'pca'; pca: Pca2 };

/**
 * The two latent dimensions with the largest KL(q(z|x) ‖ p(z)), i.e. the ones the encoder actually
 * uses. Returned in ascending index order (not by KL) so the plot's x and y don't swap over every
 * time two dimensions' KL cross during training. Ties go to the lower index.
 * With fewer than two dimensions the missing ones are filled with 0 and 1.
 */
export function topKlDims(klPerDim: number[]): [number, number] {
  if (klPerDim.length < 2) return [0, 1];
  const order = klPerDim
    .map((kl, i) => ({ kl: Number.isFinite(kl) ? kl : -Infinity, i }))
    .sort((a, b) => b.kl - a.kl || a.i - b.i);
  const a = order[0].i;
  const b = order[1].i;
  return a < b ? [a, b] : [b, a];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function normalize(v: Float64Array): number {
  const norm = Math.sqrt(dot(v, v, v.length));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}

/**
 * Leading eigenvector of the symmetric matrix `cov` (dim×dim, row-major) orthogonal to `against`,
 * by power iteration. Returns the vector and its eigenvalue.
 */
function powerIteration(cov: Float64Array, dim: number, start: Float64Array, against: Float64Array | null): { v: Float64Array; lambda: number } {
  let v = Float64Array.from(start);
  const project = (w: Float64Array) => {
    if (!against) return;
    const c = dot(w, against, dim);
    for (let i = 0; i < dim; i++) w[i] -= c * against[i];
  };
  project(v);
  if (normalize(v) === 0) {
    // The start was parallel to `against`: take the first axis that isn't.
    for (let k = 0; k < dim; k++) {
      v.fill(0);
      v[k] = 1;
      project(v);
      if (normalize(v) > 1e-6) break;
    }
  }
  let lambda = 0;
  const w = new Float64Array(dim);
  for (let it = 0; it < 2000; it++) {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      const row = i * dim;
      for (let j = 0; j < dim; j++) s += cov[row + j] * v[j];
      w[i] = s;
    }
    project(w);
    lambda = normalize(w);
    if (lambda === 0) return { v, lambda: 0 };
    let change = 0;
    for (let i = 0; i < dim; i++) change = Math.max(change, Math.abs(w[i] - v[i]));
    const next = Float64Array.from(w);
    v = next;
    if (change < 1e-11) break;
  }
  return { v, lambda };
}

/**
 * First two principal components of `count` points in `dim` dimensions (row-major `mu`), by power
 * iteration on the covariance matrix (dim ≤ 64 here, so the dim×dim matrix is cheap).
 * `previous` (an earlier result for the same dim) warm-starts the iteration and fixes the signs so
 * the picture doesn't flip between snapshots; without it, each component's largest entry is positive.
 */
export function pca2(mu: Float32Array, count: number, dim: number, previous?: Pca2 | null): Pca2 {
  const mean = new Float64Array(dim);
  for (let k = 0; k < count; k++) for (let i = 0; i < dim; i++) mean[i] += mu[k * dim + i];
  if (count > 0) for (let i = 0; i < dim; i++) mean[i] /= count;

  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < dim; i++) centred[i] = mu[k * dim + i] - mean[i];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) cov[row + j] += ci * centred[j];
    }
  }
  const denom = Math.max(1, count - 1);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const c = cov[i * dim + j] / denom;
      cov[i * dim + j] = c;
      cov[j * dim + i] = c;
    }
  }

  const warm = previous && previous.mean.length === dim ? previous : null;
  // A deterministic start with a component along every axis (so it isn't orthogonal to the answer).
  const start = (k: number) => {
    const s = new Float64Array(dim);
    for (let i = 0; i < dim; i++) s[i] = 1 + 0.37 * Math.sin(1.3 * (i + 1) * (k + 1));
    return s;
  };
  const basis: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < 2; k++) {
    if (k >= dim) {
      basis.push(new Float64Array(dim));
      variances.push(0);
      continue;
    }
    const fresh = start(k);
    // A warm start gets a pinch of the fresh one in case it is an exact eigenvector of a degenerate pair.
    const init = warm ? Float64Array.from(warm.components[k], (c, i) => c + 1e-3 * fresh[i]) : fresh;
    const { v, lambda } = powerIteration(cov, dim, init, k === 1 ? basis[0] : null);
    // Sign convention.
    let sign = 1;
    if (warm) sign = dot(v, warm.components[k], dim) < 0 ? -1 : 1;
    else {
      let big = 0;
      for (let i = 1; i < dim; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
      sign = v[big] < 0 ? -1 : 1;
    }
    if (sign < 0) for (let i = 0; i < dim; i++) v[i] = -v[i];
    basis.push(v);
    variances.push(lambda);
  }
  const c1 = basis[0];
  const c2 = basis[1];
  return {
    mean,
    components: [c1, c2],
    variances: [variances[0], variances[1]],
    project(point) {
      let x = 0;
      let y = 0;
      for (let i = 0; i < dim; i++) {
        const d = (point[i] ?? 0) - mean[i];
        x += d * c1[i];
        y += d * c2[i];
      }
      return [x, y];
    },
  };
}

/** Row-major [count, 2] screen-independent coordinates of the points on the chosen axes. */
export function project2(mu: Float32Array, count: number, dim: number, axes: ProjectionAxes): Float32Array {
  const out = new Float32Array(count * 2);
  if (axes.kind === 'dims') {
    const [i, j] = axes.dims;
    const useI = i >= 0 && i < dim;
    const useJ = j >= 0 && j < dim;
    for (let k = 0; k < count; k++) {
      out[2 * k] = useI ? mu[k * dim + i] : 0;
      out[2 * k + 1] = useJ ? mu[k * dim + j] : 0;
    }
    return out;
  }
  const { mean, components } = axes.pca;
  const [c1, c2] = components;
  const n = Math.min(dim, mean.length);
  for (let k = 0; k < count; k++) {
    let x = 0;
    let y = 0;
    const row = k * dim;
    for (let i = 0; i < n; i++) {
      const d = mu[row + i] - mean[i];
      x += d * c1[i];
      y += d * c2[i];
    }
    out[2 * k] = x;
    out[2 * k + 1] = y;
  }
  return out;
}

/** The plot coordinates of one full latent vector (the probe's handle position). */
export function projectPoint(z: ArrayLike<number>, axes: ProjectionAxes): [number, number] {
  if (axes.kind === 'pca') return axes.pca.project(z);
  const [i, j] = axes.dims;
  return [z[i] ?? 0, z[j] ?? 0];
}

/**
 * The inverse of the projection for the probe: the full latent vector whose plot position is `xy`,
 * keeping as much of `base` (the current probe) as the position doesn't determine.
 * - dims: `base` with coordinates i and j replaced by x and y;
 * - PCA: `base` moved within the principal plane, z = base + (x − x₀)·c₁ + (y − y₀)·c₂ where
 *   (x₀, y₀) is base's own projection; so the part of z orthogonal to the plane is kept (with
 *   base = mean this is simply mean + x·c₁ + y·c₂), and projecting the result gives back (x, y).
 * The result has length max(base.length, the projection's dimension).
 */
export function liftProbe(xy: [number, number], base: ArrayLike<number>, axes: ProjectionAxes): number[] {
  const dim = axes.kind === 'pca' ? Math.max(base.length, axes.pca.mean.length) : base.length;
  const z = Array.from({ length: dim }, (_, i) => base[i] ?? 0);
  if (axes.kind === 'dims') {
    const [i, j] = axes.dims;
    if (i >= 0 && i < dim) z[i] = xy[0];
    if (j >= 0 && j < dim) z[j] = xy[1];
    return z;
  }
  const { pca } = axes;
  const [x0, y0] = pca.project(z);
  const [c1, c2] = pca.components;
  const dx = xy[0] - x0;
  const dy = xy[1] - y0;
  for (let i = 0; i < pca.mean.length; i++) z[i] += dx * c1[i] + dy * c2[i];
  return z;
}

/**
 * The 1σ ellipse of a diagonal Gaussian posterior q(z|x) = N(μ, diag(exp(logVar))) as seen on the
 * plot: radii along its own axes and the angle (radians, counter-clockwise from +x in data space).
 * For dims it is axis-aligned with radii σᵢ, σⱼ; for PCA it is the exact projection P Σ Pᵀ.
 */
export function posteriorEllipse(logVar: ArrayLike<number>, axes: ProjectionAxes): { rx: number; ry: number; angle: number } {
  if (axes.kind === 'dims') {
    const [i, j] = axes.dims;
    return { rx: i < logVar.length ? Math.exp(0.5 * logVar[i]) : 0, ry: j < logVar.length ? Math.exp(0.5 * logVar[j]) : 0, angle: 0 };
  }
  const [c1, c2] = axes.pca.components;
  let a = 0;
  let b = 0;
  let d = 0;
  const n = Math.min(logVar.length, c1.length);
  for (let k = 0; k < n; k++) {
    const v = Math.exp(logVar[k]);
    a += c1[k] * c1[k] * v;
    b += c1[k] * c2[k] * v;
    d += c2[k] * c2[k] * v;
  }
  // Eigen-decomposition of the symmetric 2×2 [[a, b], [b, d]].
  const mid = (a + d) / 2;
  const rad = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  const l1 = mid + rad;
  const l2 = Math.max(0, mid - rad);
  const angle = 0.5 * Math.atan2(2 * b, a - d);
  return { rx: Math.sqrt(l1), ry: Math.sqrt(l2), angle };
}
