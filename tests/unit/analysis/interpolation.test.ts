/** Latent paths and pixel blends: ends exact, the spherical path's length between the ends'. */
import { describe, expect, it } from 'vitest';
import { interpolationPath, lerp, pathFractions, pixelBlends, rowNorms, slerp } from '../../../src/core/analysis/interpolation';
import { Rng } from '../../../src/data/rng';

function randomVector(rng: Rng, d: number, scale = 1): number[] {
  return Array.from({ length: d }, () => scale * rng.normal());
}

function norm(v: ArrayLike<number>): number {
  return Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
}

describe('interpolation paths', () => {
  it('run from a to b in n points, both ends exact', () => {
    const a = [1, -2, 0.5];
    const b = [-3, 0.25, 2];
    for (const kind of ['linear', 'spherical'] as const) {
      const path = interpolationPath(a, b, 10, kind);
      expect(path.length).toBe(30);
      expect(Array.from(path.subarray(0, 3))).toEqual(Array.from(Float32Array.from(a)));
      expect(Array.from(path.subarray(27, 30))).toEqual(Array.from(Float32Array.from(b)));
    }
    expect(pathFractions(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('linear is the straight line: the midpoint is the mean', () => {
    expect(Array.from(lerp([0, 2], [4, -2], 0.5))).toEqual([2, 0]);
  });

  it('slerp keeps the norm between the endpoints’ norms (random pairs in 2, 3, 20 and 64 dimensions)', () => {
    const rng = new Rng(5);
    for (const d of [2, 3, 20, 64]) {
      for (let trial = 0; trial < 50; trial++) {
        const a = randomVector(rng, d, 0.2 + rng.next() * 3);
        const b = randomVector(rng, d, 0.2 + rng.next() * 3);
        const [lo, hi] = [Math.min(norm(a), norm(b)), Math.max(norm(a), norm(b))];
        const path = interpolationPath(a, b, 10, 'spherical');
        for (const n of rowNorms(path, d)) {
          expect(n).toBeGreaterThanOrEqual(lo - 1e-4);
          expect(n).toBeLessThanOrEqual(hi + 1e-4);
        }
      }
    }
  });

  it('slerp moves the length linearly and the direction along the great circle', () => {
    // a on the x axis (length 1), b on the y axis (length 3): at t = ½ the direction is 45°, the length 2
    const mid = slerp([1, 0], [0, 3], 0.5);
    expect(norm(mid)).toBeCloseTo(2, 10);
    expect(mid[0]).toBeCloseTo(mid[1], 10);
    // equal angles between consecutive points
    const path = interpolationPath([1, 0, 0], [0, 0, 2], 5, 'spherical');
    const angle = (k: number) => Math.atan2(path[3 * k + 2], path[3 * k]);
    for (let k = 0; k < 5; k++) expect(angle(k)).toBeCloseTo((k * Math.PI) / 8, 5);
  });

  it('where the linear path sags through the middle of the prior, the spherical one does not', () => {
    const rng = new Rng(9);
    const a = randomVector(rng, 20);
    const b = randomVector(rng, 20);
    const linear = rowNorms(interpolationPath(a, b, 11, 'linear'), 20);
    const spherical = rowNorms(interpolationPath(a, b, 11, 'spherical'), 20);
    expect(linear[5]).toBeLessThan(0.85 * Math.min(norm(a), norm(b)));
    expect(spherical[5]).toBeCloseTo((norm(a) + norm(b)) / 2, 4);
  });

  it('handles parallel, opposite and zero endpoints without NaN', () => {
    const same = slerp([1, 1], [2, 2], 0.5);
    expect(Array.from(same).map((v) => Number(v.toFixed(6)))).toEqual([1.5, 1.5]);
    const opposite = interpolationPath([1, 0, 0], [-1, 0, 0], 5, 'spherical');
    expect(opposite.every(Number.isFinite)).toBe(true);
    for (const n of rowNorms(opposite, 3)) expect(n).toBeCloseTo(1, 5);
    const fromZero = interpolationPath([0, 0], [2, 0], 3, 'spherical');
    expect(Array.from(fromZero)).toEqual([0, 0, 1, 0, 2, 0]);
    expect(() => interpolationPath([1], [1, 2], 3, 'linear')).toThrow(/dimensions/);
  });
});

describe('pixel blends', () => {
  it('cross-fade the two images at the path’s fractions', () => {
    const blends = pixelBlends([0, 1], [1, 0], 3);
    expect(Array.from(blends)).toEqual([0, 1, 0.5, 0.5, 1, 0]);
  });
});
