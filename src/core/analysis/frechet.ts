/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian fitted
 * to it (Heusel et al. 2017's FID, in whatever features are given):
 *
 *   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½).
 *
 * Σ₁Σ₂ is not symmetric, but it is similar to the symmetric positive semi-definite
 * S = Σ₁^½ Σ₂ Σ₁^½, so Tr (Σ₁Σ₂)^½ = Σ_i √λ_i(S). Both square roots come from eigendecompositions
 * of symmetric matrices (cyclic Jacobi, in float64): exact to rounding, no iteration to tune.
 * Typed arrays only.
 */

/** Mean and covariance of a set of feature rows. */
export interface FeatureMoments {
  dim: number;
  count: number;
  mean: Float64Array;
  /** Row-major [dim, dim], the unbiased estimate (divided by count − 1). */
  covariance: Float64Array;
}

/** Mean and (unbiased) covariance of `count` rows of `dim` features, row-major. */
export function featureMoments(rows: ArrayLike<number>, count: number, dim: number): FeatureMoments {
  if (count < 2) throw new Error('the covariance needs at least two rows');
  if (rows.length < count * dim) throw new Error(`${count} rows of ${dim} need ${count * dim} values, got ${rows.length}`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let j = 0; j < dim; j++) mean[j] += rows[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) centred[j] = rows[r * dim + j] - mean[j];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) covariance[row + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = covariance[i * dim + j] / (count - 1);
      covariance[i * dim + j] = v;
      covariance[j * dim + i] = v;
    }
  }
  return { dim, count, mean, covariance };
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (row-major [n, n], not modified) by cyclic
 * Jacobi rotations: A = V diag(λ) Vᵀ, V's columns the eigenvectors.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  const tolerance = 1e-30 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // the rotation that zeroes a[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/** The symmetric square root of a symmetric positive semi-definite matrix (negative rounding clipped to 0). */
export function symmetricSqrt(matrix: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(0, values[k]));
    if (root === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k] * root;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vectors[j * n + k];
    }
  }
  return out;
}

/** a·b of row-major [n, n] matrices. */
function multiply(a: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

/** Tr (AB)^½ of two symmetric PSD matrices: Σ √λ(A^½ B A^½). */
export function traceSqrtProduct(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  const root = symmetricSqrt(a, n);
  const s = multiply(multiply(root, b, n), root, n);
  // symmetrise what rounding left uneven
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (s[i * n + j] + s[j * n + i]);
      s[i * n + j] = m;
      s[j * n + i] = m;
    }
  }
  const { values } = symmetricEigen(s, n);
  let sum = 0;
  for (const v of values) sum += Math.sqrt(Math.max(0, v));
  return sum;
}

/** d² = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁Σ₂)^½ (≥ 0 up to rounding; clipped at 0). */
export function frechetDistance(a: FeatureMoments, b: FeatureMoments): number {
  if (a.dim !== b.dim) throw new Error(`features of ${a.dim} and ${b.dim} dimensions`);
  const n = a.dim;
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < n; i++) {
    const d = a.mean[i] - b.mean[i];
    meanTerm += d * d;
    traces += a.covariance[i * n + i] + b.covariance[i * n + i];
  }
  return Math.max(0, meanTerm + traces - 2 * traceSqrtProduct(a.covariance, b.covariance, n));
}
