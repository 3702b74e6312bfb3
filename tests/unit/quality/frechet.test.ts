import { describe, expect, it } from 'vitest';
import { featureMoments, frechetDistance, symmetricEigen, symmetricSqrt } from '../../../src/core/analysis/frechet';
import { meanGradientMagnitude } from '../../../src/core/analysis/sharpness';
import { TestRng } from '../helpers/rng';

function gaussianRows(count: number, dim: number, seed: number, noise = 0, base?: Float64Array): Float64Array {
  const rng = new TestRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const rows = new Float64Array(count * dim);
  for (let i = 0; i < rows.length; i++) rows[i] = (base ? base[i] : normal() * (1 + (i % dim))) + noise * normal();
  return rows;
}

describe('Fréchet distance', () => {
  it('of a set with itself is ~0', () => {
    const rows = gaussianRows(500, 6, 1);
    const m = featureMoments(rows, 500, 6);
    expect(frechetDistance(m, m)).toBeLessThan(1e-8);
  });

  it('grows with added noise', () => {
    const rows = gaussianRows(800, 5, 2);
    const m = featureMoments(rows, 800, 5);
    const d = [0.1, 0.5, 2].map((s) => frechetDistance(m, featureMoments(gaussianRows(800, 5, 3, s, rows), 800, 5)));
    expect(d[0]).toBeLessThan(d[1]);
    expect(d[1]).toBeLessThan(d[2]);
    expect(d[0]).toBeGreaterThan(0);
  });

  it('matches the closed form on small Gaussians', () => {
    // diagonal covariances: d² = ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)²; a hand case in 2-D
    const a = { dim: 2, count: 10, mean: Float64Array.from([0, 1]), covariance: Float64Array.from([4, 0, 0, 1]) };
    const b = { dim: 2, count: 10, mean: Float64Array.from([3, -1]), covariance: Float64Array.from([1, 0, 0, 9]) };
    expect(frechetDistance(a, b)).toBeCloseTo(9 + 4 + (2 - 1) ** 2 + (1 - 3) ** 2, 9);
    // a full covariance: Σ₂ = R Σ₁ Rᵀ with the same eigenvalues has Tr(Σ₁Σ₂)^½ from the formula
    // for commuting-free 2×2 matrices: Tr √M = √(λ₁) + √(λ₂), with λ the eigenvalues of Σ₁Σ₂
    const s1 = [2, 0.5, 0.5, 1];
    const s2 = [1, -0.3, -0.3, 3];
    const p = [s1[0] * s2[0] + s1[1] * s2[2], s1[0] * s2[1] + s1[1] * s2[3], s1[2] * s2[0] + s1[3] * s2[2], s1[2] * s2[1] + s1[3] * s2[3]];
    const tr = p[0] + p[3];
    const det = p[0] * p[3] - p[1] * p[2];
    // √λ₁ + √λ₂ = √(tr + 2√det) for a 2×2 matrix with positive eigenvalues
    const traceSqrt = Math.sqrt(tr + 2 * Math.sqrt(det));
    const c = { dim: 2, count: 10, mean: Float64Array.from([1, 1]), covariance: Float64Array.from(s1) };
    const d = { dim: 2, count: 10, mean: Float64Array.from([0, 2]), covariance: Float64Array.from(s2) };
    expect(frechetDistance(c, d)).toBeCloseTo(2 + 3 + 4 - 2 * traceSqrt, 9);
  });

  it('moments: the mean and unbiased covariance of rows', () => {
    const m = featureMoments([1, 2, 3, 6, 5, 10], 3, 2);
    expect(Array.from(m.mean)).toEqual([3, 6]);
    expect(Array.from(m.covariance)).toEqual([4, 8, 8, 16]);
  });

  it('eigen and square root of a symmetric matrix', () => {
    const a = [4, 1, 0, 1, 3, 1, 0, 1, 2];
    const { values } = symmetricEigen(a, 3);
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(9, 10);
    const r = symmetricSqrt(a, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += r[i * 3 + k] * r[k * 3 + j];
      expect(s).toBeCloseTo(a[i * 3 + j], 10);
    }
  });
});

describe('sharpness', () => {
  it('is the mean gradient magnitude: a hard edge beats a ramp, a flat image is 0', () => {
    const shape = { width: 4, height: 4, channels: 1 };
    const edge = Float32Array.from({ length: 16 }, (_, i) => (i % 4 >= 2 ? 1 : 0));
    const ramp = Float32Array.from({ length: 16 }, (_, i) => (i % 4) / 3);
    // edge: of the 3×3 pixels with right and lower neighbours, the column x = 1 has Δx = 1
    expect(meanGradientMagnitude(edge, 1, shape)).toBeCloseTo(3 / 9, 6);
    expect(meanGradientMagnitude(ramp, 1, shape)).toBeCloseTo(1 / 3, 6);
    expect(meanGradientMagnitude(new Float32Array(16), 1, shape)).toBe(0);
    // blurring the edge lowers it
    const blurred = Float32Array.from({ length: 16 }, (_, i) => [0, 0.25, 0.75, 1][i % 4]);
    expect(meanGradientMagnitude(blurred, 1, shape)).toBeLessThan(meanGradientMagnitude(Float32Array.from({ length: 16 }, (_, i) => [0, 0, 1, 1][i % 4]), 1, shape) + 1e-9);
  });
});
