/**
 * Gaussian quantiles for the decoder grid: the inverse of the standard normal CDF, and the n×n grid
 * of latent points that Kingma & Welling (2014, Figure 4) decode to show a 2-D VAE's "learned data
 * manifold". Pure functions, no DOM.
 */

// Coefficients of Peter Acklam's rational approximation to Φ⁻¹ (relative error < 1.15e-9 before
// refinement). A central rational function in q = p − ½ and a tail one in q = √(−2 ln p).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155833420e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's approximation on the lower half (0 < p ≤ ½); the upper half follows by symmetry. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * erfc(x) for x ≥ 0 to about 1e-15 relative: a continued fraction for large x, the Maclaurin series
 * of erf for small x. Only used to polish Acklam's estimate with one Halley step.
 */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated bottom-up.
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Lower-tail standard normal CDF Φ(x) for x ≤ 0, accurate in the far tail. */
function normalCdfNonPositive(x: number): number {
  return 0.5 * erfcNonNegative(-x / Math.SQRT2);
}

/**
 * Φ⁻¹(p), the standard normal quantile. Acklam's rational approximation followed by one Halley
 * step against an accurate Φ, which brings it to ~1e-14 relative. Φ⁻¹(0) = −∞, Φ⁻¹(1) = +∞;
 * outside [0, 1] or NaN it throws.
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`inverseNormalCdf: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work on the lower half so the result is exactly antisymmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p).
  const upper = p > 0.5;
  const lowP = upper ? 1 - p : p;
  let x = acklamLower(lowP);
  // Halley's method on f(x) = Φ(x) − p: x ← x − u / (1 + x u / 2), u = (Φ(x) − p) / φ(x).
  const e = normalCdfNonPositive(x) - lowP;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  x = x - u / (1 + (x * u) / 2);
  return upper ? -x : x;
}

export interface QuantileGrid {
  /** The n 1-D coordinates Φ⁻¹((i + ½)/n), increasing. */
  values: number[];
  /**
   * Row-major [n·n, 2] latent points (z₁, z₂). Cell (row r, column c) is point r·n + c with
   * z₁ = values[c] and z₂ = values[n − 1 − r]: row 0 is the TOP row (largest z₂), so the decoded
   * images can be drawn left-to-right, top-to-bottom like a plot with z₂ pointing up.
   */
  latents: Float32Array;
}

/**
 * The n×n grid of latent points at Gaussian quantiles (Kingma & Welling, Figure 4).
 *
 * Why p = (i + ½)/n: splitting [0, 1] into n equal-probability bins and taking each bin's midpoint
 * gives points that each stand for 1/n of the prior's mass per axis (1/n² per cell), so the grid
 * spends its resolution where p(z) = N(0, I) does, densely near 0 and sparsely in the tails. The
 * midpoints also avoid p = 0 and p = 1, whose quantiles are ±∞, and the grid is symmetric about 0.
 */
export function quantileGrid(n: number): QuantileGrid {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`quantileGrid: n must be a positive integer, got ${n}`);
  const values = Array.from({ length: n }, (_, i) => inverseNormalCdf((i + 0.5) / n));
  const latents = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const k = r * n + c;
      latents[2 * k] = values[c];
      latents[2 * k + 1] = values[n - 1 - r];
    }
  }
  return { values, latents };
}
