import { describe, expect, it } from 'vitest';
import { inverseNormalCdf, quantileGrid } from '../../src/core/analysis/quantiles';

// Reference quantiles (computed to 17 digits with arbitrary-precision arithmetic).
const REFERENCE: [number, number][] = [
  [0.5, 0],
  [0.975, 1.959963984540054],
  [0.95, 1.6448536269514722],
  [0.9, 1.2815515655446004],
  [0.99, 2.3263478740408408],
  [0.8, 0.8416212335729143],
  [0.6, 0.2533471031357997],
  [0.001, -3.090232306167813],
  [1e-6, -4.753424308822899],
  [1e-10, -6.361340902404056],
  [1e-20, -9.262340089798408],
];

describe('inverseNormalCdf', () => {
  it('Φ⁻¹(0.5) = 0 and Φ⁻¹(0.975) ≈ 1.959964', () => {
    expect(inverseNormalCdf(0.5)).toBe(0);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959964, 6);
  });

  it('matches reference quantiles to 1e-9 relative, including the far tails', () => {
    for (const [p, x] of REFERENCE) {
      const got = inverseNormalCdf(p);
      if (x === 0) expect(got).toBe(0);
      else expect(Math.abs(got - x) / Math.abs(x), `p = ${p}`).toBeLessThan(1e-9);
    }
  });

  it('is antisymmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p)', () => {
    for (const p of [0.5, 0.4, 0.3, 0.1, 0.05, 0.025, 0.02, 0.01, 1e-3, 0.25, 0.125]) {
      expect(inverseNormalCdf(1 - p)).toBeCloseTo(-inverseNormalCdf(p), 12);
    }
  });

  it('is strictly increasing, including across the central/tail switch at p = 0.02425', () => {
    const ps: number[] = [];
    for (let i = 1; i < 2000; i++) ps.push(i / 2000);
    for (let p = 0.0242; p < 0.0243; p += 1e-6) ps.push(p, 1 - p);
    ps.sort((a, b) => a - b);
    for (let i = 1; i < ps.length; i++) {
      if (ps[i] === ps[i - 1]) continue;
      expect(inverseNormalCdf(ps[i])).toBeGreaterThan(inverseNormalCdf(ps[i - 1]));
    }
  });

  it('returns ±Infinity at 0 and 1 and rejects values outside [0, 1]', () => {
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(() => inverseNormalCdf(-0.1)).toThrow(RangeError);
    expect(() => inverseNormalCdf(1.5)).toThrow(RangeError);
    expect(() => inverseNormalCdf(Number.NaN)).toThrow(RangeError);
  });
});

describe('quantileGrid', () => {
  it('uses the midpoints (i + ½)/n of n equal-probability bins', () => {
    const { values } = quantileGrid(4);
    expect(values).toHaveLength(4);
    expect(values[0]).toBeCloseTo(inverseNormalCdf(0.125), 12);
    expect(values[1]).toBeCloseTo(inverseNormalCdf(0.375), 12);
    expect(values[2]).toBeCloseTo(-values[1], 12);
    expect(values[3]).toBeCloseTo(-values[0], 12);
    // Odd n puts the middle point at exactly 0; n = 20 spans ±Φ⁻¹(0.975) = ±1.96.
    expect(quantileGrid(5).values[2]).toBe(0);
    const twenty = quantileGrid(20).values;
    expect(twenty[19]).toBeCloseTo(1.959964, 5);
    expect(twenty[0]).toBeCloseTo(-1.959964, 5);
    for (let i = 1; i < 20; i++) expect(twenty[i]).toBeGreaterThan(twenty[i - 1]);
  });

  it('lays out row-major [n·n, 2] with row 0 at the top (largest z₂) and z₁ increasing along a row', () => {
    const n = 3;
    const { values, latents } = quantileGrid(n);
    expect(latents).toBeInstanceOf(Float32Array);
    expect(latents).toHaveLength(n * n * 2);
    const at = (row: number, col: number) => [latents[2 * (row * n + col)], latents[2 * (row * n + col) + 1]];
    // Top-left: smallest z₁, largest z₂. Bottom-right: largest z₁, smallest z₂.
    expect(at(0, 0)[0]).toBeCloseTo(values[0], 6);
    expect(at(0, 0)[1]).toBeCloseTo(values[n - 1], 6);
    expect(at(n - 1, n - 1)[0]).toBeCloseTo(values[n - 1], 6);
    expect(at(n - 1, n - 1)[1]).toBeCloseTo(values[0], 6);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        expect(at(r, c)[0]).toBeCloseTo(values[c], 6);
        expect(at(r, c)[1]).toBeCloseTo(values[n - 1 - r], 6);
      }
    }
    // The middle cell of an odd grid is the origin.
    expect(at(1, 1)).toEqual([0, 0]);
  });

  it('rejects a non-positive or fractional size', () => {
    expect(() => quantileGrid(0)).toThrow(RangeError);
    expect(() => quantileGrid(2.5)).toThrow(RangeError);
    expect(quantileGrid(1)).toEqual({ values: [0], latents: new Float32Array([0, 0]) });
  });
});
