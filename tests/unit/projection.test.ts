import { describe, expect, it } from 'vitest';
import {
  liftProbe,
  pca2,
  posteriorEllipse,
  project2,
  projectPoint,
  topKlDims,
  type Pca2,
  type ProjectionAxes,
} from '../../src/core/analysis/projection';
import { formatCoord, latentLabel } from '../../src/ui/format';

/** A small seeded normal generator (mulberry32 + Box–Muller), so the tests depend on nothing else. */
class Rng {
  constructor(private state: number) {}
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
}

/** `count` points in `dim` dimensions: N(offset, diag(scales²)) rotated so the long axis is `direction`. */
function anisotropic(count: number, dim: number, direction: number[], seed = 1): Float32Array {
  const rng = new Rng(seed);
  const u = normalized(direction);
  const out = new Float32Array(count * dim);
  for (let k = 0; k < count; k++) {
    const along = 4 * rng.normal(); // sd 4 along u
    for (let i = 0; i < dim; i++) out[k * dim + i] = 0.5 + along * u[i] + 0.5 * rng.normal(); // sd 0.5 in every direction
  }
  return out;
}

function normalized(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('topKlDims', () => {
  it('picks the two dimensions with the largest KL, in ascending index order', () => {
    expect(topKlDims([0.1, 5.1, 0.3, 2.0])).toEqual([1, 3]);
    expect(topKlDims([3, 0.2, 0.1, 7])).toEqual([0, 3]);
    expect(topKlDims([0.01, 0.02, 9, 8, 0.5])).toEqual([2, 3]);
    // Swapping which of the two is larger doesn't swap the axes.
    expect(topKlDims([0.1, 4, 5])).toEqual(topKlDims([0.1, 5, 4]));
  });

  it('breaks ties towards the lower index, ignores NaN and handles short inputs', () => {
    expect(topKlDims([1, 1, 1, 1])).toEqual([0, 1]);
    expect(topKlDims([Number.NaN, 2, 3])).toEqual([1, 2]);
    expect(topKlDims([4, 2])).toEqual([0, 1]);
    expect(topKlDims([])).toEqual([0, 1]);
  });
});

describe('pca2', () => {
  it('recovers the dominant direction of anisotropic data and an orthonormal second component', () => {
    const dim = 6;
    const direction = normalized([1, -2, 0.5, 0, 3, -1]);
    const count = 4000;
    const mu = anisotropic(count, dim, direction);
    const pca = pca2(mu, count, dim);
    const [c1, c2] = pca.components;
    expect(Math.abs(dot(c1, direction))).toBeGreaterThan(0.999);
    expect(dot(c1, c1)).toBeCloseTo(1, 10);
    expect(dot(c2, c2)).toBeCloseTo(1, 10);
    expect(Math.abs(dot(c1, c2))).toBeLessThan(1e-9);
    for (let i = 0; i < dim; i++) expect(pca.mean[i]).toBeCloseTo(0.5, 0);
    // Variances: 16 + 0.25 along the long axis, 0.25 across it.
    expect(pca.variances[0]).toBeGreaterThan(14);
    expect(pca.variances[0]).toBeLessThan(18.5);
    expect(pca.variances[1]).toBeGreaterThan(0.2);
    expect(pca.variances[1]).toBeLessThan(0.32);
  });

  it('finds both axes of a 3-D cloud with distinct spreads, and keeps signs stable with a previous result', () => {
    const rng = new Rng(5);
    const count = 3000;
    const mu = new Float32Array(count * 3);
    for (let k = 0; k < count; k++) {
      mu[3 * k] = 0.3 * rng.normal();
      mu[3 * k + 1] = 1 * rng.normal(); // second
      mu[3 * k + 2] = 3 * rng.normal(); // first
    }
    const pca = pca2(mu, count, 3);
    expect(Math.abs(pca.components[0][2])).toBeGreaterThan(0.999);
    expect(Math.abs(pca.components[1][1])).toBeGreaterThan(0.999);
    // Without a previous result, the largest entry is positive.
    expect(pca.components[0][2]).toBeGreaterThan(0);
    // With a previous result that points the other way, the signs follow it.
    const flipped = { ...pca, components: [pca.components[0].map((v) => -v), pca.components[1].map((v) => -v)] as [Float64Array, Float64Array] };
    const again = pca2(mu, count, 3, flipped);
    expect(again.components[0][2]).toBeLessThan(0);
    expect(again.components[1][1]).toBeLessThan(0);
  });

  it('project2 with PCA axes agrees with pca.project and centres the points', () => {
    const dim = 4;
    const count = 500;
    const mu = anisotropic(count, dim, [0, 1, 1, 0], 9);
    const pca = pca2(mu, count, dim);
    const xy = project2(mu, count, dim, { kind: 'pca', pca });
    let sx = 0;
    let sy = 0;
    for (let k = 0; k < count; k++) {
      const [x, y] = pca.project(mu.subarray(k * dim, (k + 1) * dim));
      expect(xy[2 * k]).toBeCloseTo(x, 4);
      expect(xy[2 * k + 1]).toBeCloseTo(y, 4);
      sx += xy[2 * k];
      sy += xy[2 * k + 1];
    }
    expect(Math.abs(sx / count)).toBeLessThan(1e-4);
    expect(Math.abs(sy / count)).toBeLessThan(1e-4);
  });

  it('degrades gracefully for identical points and a 1-D latent space', () => {
    const same = pca2(new Float32Array([1, 2, 1, 2, 1, 2]), 3, 2);
    expect(Array.from(same.mean)).toEqual([1, 2]);
    expect(same.variances).toEqual([0, 0]);
    expect(same.project([1, 2])).toEqual([0, 0]);
    const oneD = pca2(new Float32Array([1, 2, 3]), 3, 1);
    expect(Math.abs(oneD.components[0][0])).toBeCloseTo(1, 12);
    expect(Array.from(oneD.components[1])).toEqual([0]);
  });
});

describe('project2 / liftProbe', () => {
  it('dims: picks the two coordinates, and lift ∘ project is the identity on every point', () => {
    const dim = 5;
    const count = 20;
    const rng = new Rng(3);
    const mu = Float32Array.from({ length: count * dim }, () => rng.normal());
    const axes: ProjectionAxes = { kind: 'dims', dims: [3, 1] };
    const xy = project2(mu, count, dim, axes);
    for (let k = 0; k < count; k++) {
      const row = Array.from(mu.subarray(k * dim, (k + 1) * dim));
      expect(xy[2 * k]).toBe(row[3]);
      expect(xy[2 * k + 1]).toBe(row[1]);
      const lifted = liftProbe([xy[2 * k], xy[2 * k + 1]], row, axes);
      expect(lifted).toEqual(row);
      expect(projectPoint(lifted, axes)).toEqual([row[3], row[1]]);
    }
  });

  it('dims: replaces only the shown coordinates of the base vector', () => {
    const z = liftProbe([0.5, -1.25], [9, 9, 9, 9], { kind: 'dims', dims: [0, 2] });
    expect(z).toEqual([0.5, 9, -1.25, 9]);
  });

  it('PCA: project ∘ lift is the identity and the orthogonal part of the base is kept', () => {
    const dim = 4;
    const count = 800;
    const mu = anisotropic(count, dim, [1, 1, 0, 0], 11);
    const pca = pca2(mu, count, dim);
    const axes: ProjectionAxes = { kind: 'pca', pca };
    const base = [0.3, -0.7, 1.1, 0.2];
    const z = liftProbe([1.5, -0.4], base, axes);
    const [x, y] = pca.project(z);
    expect(x).toBeCloseTo(1.5, 10);
    expect(y).toBeCloseTo(-0.4, 10);
    // z − base lies in the principal plane.
    const diff = z.map((v, i) => v - base[i]);
    const inPlane = diff.map((_, i) => dot(diff, pca.components[0]) * pca.components[0][i] + dot(diff, pca.components[1]) * pca.components[1][i]);
    for (let i = 0; i < dim; i++) expect(inPlane[i]).toBeCloseTo(diff[i], 10);
    // From the mean, lifting gives mean + x·c₁ + y·c₂.
    const fromMean = liftProbe([2, 1], Array.from(pca.mean), axes);
    for (let i = 0; i < dim; i++) expect(fromMean[i]).toBeCloseTo(pca.mean[i] + 2 * pca.components[0][i] + pca.components[1][i], 10);
  });

  it('pads a short base (a probe from before a model change) with zeros', () => {
    expect(liftProbe([1, 2], [], { kind: 'dims', dims: [0, 1] })).toEqual([]);
    expect(liftProbe([1, 2], [0, 0, 0], { kind: 'dims', dims: [0, 1] })).toEqual([1, 2, 0]);
  });
});

describe('posteriorEllipse', () => {
  it('is axis-aligned with radii σ = exp(½ logVar) on the shown dims', () => {
    const e = posteriorEllipse([Math.log(0.04), Math.log(0.25), Math.log(9)], { kind: 'dims', dims: [2, 0] });
    expect(e.rx).toBeCloseTo(3, 12);
    expect(e.ry).toBeCloseTo(0.2, 12);
    expect(e.angle).toBe(0);
  });

  it('projects the covariance onto the principal plane', () => {
    const pca = { mean: new Float64Array(2), components: [new Float64Array([Math.SQRT1_2, Math.SQRT1_2]), new Float64Array([-Math.SQRT1_2, Math.SQRT1_2])], variances: [1, 1], project: () => [0, 0] } as unknown as Pca2;
    // σ = (2, 1): along c₁ the variance is (4 + 1)/2, along c₂ also (4 + 1)/2, covariance (1 − 4)/2.
    const e = posteriorEllipse([Math.log(4), Math.log(1)], { kind: 'pca', pca });
    expect(e.rx).toBeCloseTo(2, 10);
    expect(e.ry).toBeCloseTo(1, 10);
    expect(Math.abs(Math.cos(e.angle))).toBeCloseTo(Math.SQRT1_2, 10);
  });
});

describe('labels', () => {
  it('numbers latent dimensions from 1 with subscripts and formats coordinates with a true minus', () => {
    expect(latentLabel(0)).toBe('z₁');
    expect(latentLabel(11)).toBe('z₁₂');
    expect(formatCoord(-1.2)).toBe('−1.20');
    expect(formatCoord(0.534)).toBe('0.53');
    expect(formatCoord(-0.001)).toBe('0.00');
  });
});
