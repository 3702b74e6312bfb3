import { describe, expect, it } from 'vitest';
import {
  SHARED_RANGE,
  drawOrder,
  fitHalfRange,
  mapPoints,
  niceHalfRange,
  pickColumns,
  pixelsPerUnit,
  scatterDims,
  spreadDims,
  toPixelX,
  toPixelY,
  type MiniFrame,
} from '../../src/ui/charts/miniScatterGeometry';

const frame: MiniFrame = { size: 200, pad: 10, range: SHARED_RANGE };

describe('scatterDims', () => {
  it('shows both dimensions of a 2-D space whatever the KL says', () => {
    expect(scatterDims(2, [0.1, 9])).toEqual([0, 1]);
    expect(scatterDims(2, null)).toEqual([0, 1]);
  });

  it('picks the two dimensions with the largest KL, in index order', () => {
    expect(scatterDims(5, [0.01, 3.2, 0.02, 0.5, 7.1])).toEqual([1, 4]);
    expect(scatterDims(4, [6, 0, 0, 5])).toEqual([0, 3]);
  });

  it('falls back to z₁, z₂ without a usable KL and handles a 1-D space', () => {
    expect(scatterDims(10, null)).toEqual([0, 1]);
    expect(scatterDims(10, [1, 2, 3])).toEqual([0, 1]); // wrong length
    expect(scatterDims(1, [2])).toEqual([0, -1]);
  });
});

describe('spreadDims', () => {
  it('finds the dimensions the points actually vary along', () => {
    const count = 50;
    const dim = 4;
    const mu = new Float32Array(count * dim);
    for (let k = 0; k < count; k++) {
      mu[k * dim + 0] = 0.001 * k; // almost constant
      mu[k * dim + 1] = Math.sin(k) * 5; // wide
      mu[k * dim + 2] = 0.01 * Math.cos(k);
      mu[k * dim + 3] = (k % 7) - 3; // wide
    }
    expect(spreadDims(mu, count, dim)).toEqual([1, 3]);
    expect(spreadDims(mu, count, 2)).toEqual([0, 1]);
  });
});

describe('pixel mapping', () => {
  it('maps the range onto the inset square, y pointing up', () => {
    expect(pixelsPerUnit(frame)).toBeCloseTo(180 / 8);
    expect(toPixelX(-4, frame)).toBeCloseTo(10);
    expect(toPixelX(4, frame)).toBeCloseTo(190);
    expect(toPixelX(0, frame)).toBeCloseTo(100);
    expect(toPixelY(4, frame)).toBeCloseTo(10);
    expect(toPixelY(-4, frame)).toBeCloseTo(190);
    expect(toPixelY(2, frame)).toBeCloseTo(100 - 2 * 22.5);
  });

  it('pins points beyond the range to the edge, skips non-finite ones and counts both', () => {
    // Four points in 3-D, shown on dims [2, 0].
    const mu = Float32Array.from([
      1, 9, 2, // inside: (x = 2, y = 1)
      -7, 0, 0.5, // y = −7 is below the range
      NaN, 0, 1, // skipped
      0, 0, 100, // x = 100 far right
    ]);
    const { xy, state, clipped, skipped } = mapPoints(mu, 4, 3, [2, 0], frame);
    expect(Array.from(state)).toEqual([0, 1, 2, 1]);
    expect(clipped).toBe(2);
    expect(skipped).toBe(1);
    expect(xy[0]).toBeCloseTo(toPixelX(2, frame));
    expect(xy[1]).toBeCloseTo(toPixelY(1, frame));
    // Pinned: x kept, y at the bottom edge.
    expect(xy[2]).toBeCloseTo(toPixelX(0.5, frame));
    expect(xy[3]).toBeCloseTo(190);
    expect(Number.isNaN(xy[4])).toBe(true);
    expect(xy[6]).toBeCloseTo(190);
    expect(xy[7]).toBeCloseTo(100);
    const finite = Array.from(xy).filter(Number.isFinite);
    expect(Math.min(...finite)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...finite)).toBeLessThanOrEqual(190);
  });

  it('plots a 1-D space on a flat line at y = 0', () => {
    const { xy } = mapPoints(Float32Array.from([-1, 0, 3]), 3, 1, [0, -1], frame);
    expect([xy[1], xy[3], xy[5]].every((y) => Math.abs(y - 100) < 1e-6)).toBe(true);
    expect(xy[4]).toBeCloseTo(toPixelX(3, frame));
  });
});

describe('ranges', () => {
  it('rounds half-ranges up to nice numbers', () => {
    expect(niceHalfRange(3)).toBe(3);
    expect(niceHalfRange(3.2)).toBe(4);
    expect(niceHalfRange(8.5)).toBe(10);
    expect(niceHalfRange(37)).toBe(40);
    expect(niceHalfRange(0.13)).toBe(0.15);
    expect(niceHalfRange(0)).toBe(1);
    expect(niceHalfRange(NaN)).toBe(1);
  });

  it('fits the bulk of the points but ignores a few strays, and never goes below the minimum', () => {
    const count = 1000;
    const mu = new Float32Array(count * 2);
    for (let k = 0; k < count; k++) {
      mu[2 * k] = 30 * Math.sin(k);
      mu[2 * k + 1] = 10 * Math.cos(k);
    }
    mu[0] = 5000; // one wild point
    const r = fitHalfRange(mu, count, 2, [0, 1]);
    expect(r).toBeGreaterThanOrEqual(30);
    expect(r).toBeLessThanOrEqual(40);
    expect(mapPoints(mu, count, 2, [0, 1], { size: 200, pad: 8, range: r }).clipped).toBeLessThan(count * 0.02);

    const collapsed = new Float32Array(count * 2).map((_, i) => 0.001 * Math.sin(i));
    expect(fitHalfRange(collapsed, count, 2, [0, 1])).toBe(2.5);
    expect(fitHalfRange(collapsed, count, 2, [0, 1], { min: 3 })).toBe(3);
    expect(fitHalfRange(new Float32Array(0), 0, 2, [0, 1])).toBe(2.5);
  });
});

describe('drawOrder', () => {
  it('is a permutation that interleaves the classes', () => {
    const labels = Uint8Array.from({ length: 400 }, (_, k) => (k < 200 ? 0 : 1));
    const order = drawOrder(labels, 400);
    expect(new Set(order).size).toBe(400);
    expect(Math.min(...order)).toBe(0);
    expect(Math.max(...order)).toBe(399);
    // Class 1 is not all painted last: some class-0 point comes after the first class-1 point.
    const firstOne = Array.from(order).findIndex((k) => labels[k] === 1);
    expect(Array.from(order.slice(firstOne)).some((k) => labels[k] === 0)).toBe(true);
  });
});

describe('pickColumns', () => {
  it('keeps everything that fits and spreads the rest evenly, ends included', () => {
    expect(pickColumns(9, 9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pickColumns(5, 9)).toEqual([0, 1, 2, 3, 4]);
    expect(pickColumns(17, 9)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    expect(pickColumns(11, 3)).toEqual([0, 5, 10]);
    expect(pickColumns(0, 9)).toEqual([]);
  });
});
