import { describe, expect, it } from 'vitest';
import { pickDim, resolveAxes } from '../../src/ui/panels/latent/axes';
import { coloringFor, colorKeys } from '../../src/ui/panels/latent/coloring';
import { drawGroups } from '../../src/ui/panels/latent/view/drawOrder';
import { Glide, TRANSITION_MS } from '../../src/ui/panels/latent/view/Glide';
import { PointFinder } from '../../src/ui/panels/latent/view/PointFinder';
import { keyStep } from '../../src/ui/panels/latent/view/ProbePointer';
import { alignPositions, dotRadius, MARGIN, neededRadius, nextRadius, plotSize, viewScales } from '../../src/ui/panels/latent/view/viewport';

describe('scatter viewport', () => {
  it('sizes the plot from the width and shows equal latent units per pixel on both axes', () => {
    const size = plotSize(600);
    expect(size.height).toBe(Math.round(600 * 0.95 + 24));
    expect(size.plotW).toBe(600 - MARGIN.left - MARGIN.right);
    expect(plotSize(100).height).toBe(280);
    expect(plotSize(2000).height).toBe(640);
    expect(plotSize(0).height).toBe(0);
    const { x, y } = viewScales(size, 3);
    expect(x(1) - x(0)).toBeCloseTo(y(0) - y(1), 9);
    // ±r spans the shorter side
    const shorterSpan = size.plotW <= size.plotH ? x(3) - x(-3) : y(-3) - y(3);
    expect(shorterSpan).toBeCloseTo(Math.min(size.plotW, size.plotH), 6);
  });

  it('needs at least ±3, in steps of ½, and skips non-finite values', () => {
    expect(neededRadius(Float32Array.of(0.5, -1))).toBe(3);
    expect(neededRadius(Float32Array.of(4, -1))).toBe(4.5);
    expect(neededRadius(Float32Array.of(NaN, Infinity, 1))).toBe(3);
  });

  it('grows the view at once but shrinks it only when the points are well inside', () => {
    expect(nextRadius(4, 5, false)).toBe(5);
    expect(nextRadius(4, 3.5, false)).toBe(4);
    expect(nextRadius(6, 3, false)).toBe(3);
    expect(nextRadius(4, 3.5, true)).toBe(3.5);
  });

  it('starts each point of a new snapshot where the same test image was', () => {
    const prev = Float32Array.of(1, 1, 2, 2, 3, 3);
    const next = Float32Array.of(9, 9, 8, 8, 7, 7);
    expect([...alignPositions(prev, Int32Array.of(5, 6, 7), Int32Array.of(5, 6, 7), next)]).toEqual([1, 1, 2, 2, 3, 3]);
    // reordered, one new image (index 9) starts at its target
    expect([...alignPositions(prev, Int32Array.of(5, 6, 7), Int32Array.of(7, 9, 5), next)]).toEqual([3, 3, 8, 8, 1, 1]);
  });

  it('draws smaller dots when there are many', () => {
    expect(dotRadius(630, 2000)).toBeCloseTo(2.6 * 1, 9);
    expect(dotRadius(630, 10_000)).toBeCloseTo(2.6 * 0.8, 9);
    expect(dotRadius(100, 10)).toBe(1.4);
  });
});

describe('draw order', () => {
  it('groups every point once, by key within interleaved slices', () => {
    const keys = Uint8Array.from({ length: 50 }, (_, k) => k % 3);
    const groups = drawGroups(keys, 50);
    const seen = groups.flatMap((g) => [...g.order]).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, k) => k));
    for (const g of groups) for (const k of g.order) expect(keys[k]).toBe(g.key);
    // the first slice holds points 0, 8, 16…, its groups in key order
    const firstSlice = groups.slice(0, 3);
    expect(firstSlice.map((g) => g.key)).toEqual([0, 1, 2]);
    expect(firstSlice.every((g) => [...g.order].every((k) => k % 8 === 0))).toBe(true);
  });
});

describe('Glide', () => {
  const a = Float32Array.of(0, 0, 1, 1);
  const b = Float32Array.of(2, -2, 3, 3);
  const idx = Int32Array.of(10, 11);

  it('jumps to the first target and to a new latent size', () => {
    const g = new Glide();
    expect(g.retarget(a, idx, 2, 'k', 0, true)).toBe(false);
    expect([...g.display!]).toEqual([0, 0, 1, 1]);
    expect(g.retarget(b, idx, 3, 'k', 0, true)).toBe(false);
    expect([...g.display!]).toEqual([2, -2, 3, 3]);
  });

  it('eases from the shown positions to the new ones over the transition', () => {
    const g = new Glide();
    g.retarget(a, idx, 2, 'k', 0, true);
    expect(g.retarget(b, idx, 2, 'k', 1000, true)).toBe(true);
    expect(g.step(1000)).toBe(true);
    expect([...g.display!]).toEqual([0, 0, 1, 1]);
    g.step(1000 + TRANSITION_MS / 2);
    expect(g.display![0]).toBeCloseTo(1, 6); // cubic in-out is halfway at half time
    expect(g.step(1000 + TRANSITION_MS)).toBe(false);
    expect([...g.display!]).toEqual([2, -2, 3, 3]);
    expect(g.moving).toBe(false);
  });

  it('does not animate when asked not to (reduced motion)', () => {
    const g = new Glide();
    g.retarget(a, idx, 2, 'k', 0, true);
    expect(g.retarget(b, idx, 2, 'k', 0, false)).toBe(false);
    expect([...g.display!]).toEqual([2, -2, 3, 3]);
  });

  it('refits the view radius to new axes', () => {
    const g = new Glide();
    g.retarget(Float32Array.of(5, 0), Int32Array.of(1), 2, 'a', 0, false);
    expect(g.radius).toBe(5.5);
    g.retarget(Float32Array.of(1, 0), Int32Array.of(1), 2, 'a', 0, false);
    expect(g.radius).toBe(3); // 3 < 0.6 · 5.5
    g.retarget(Float32Array.of(3.2, 0), Int32Array.of(1), 2, 'a', 0, false);
    expect(g.radius).toBe(3.5);
    g.retarget(Float32Array.of(3.2, 0), Int32Array.of(1), 2, 'b', 0, false);
    expect(g.radius).toBe(3.5);
  });
});

describe('PointFinder', () => {
  const size = plotSize(400);
  const scales = viewScales(size, 3);
  const positions = Float32Array.of(0, 0, 1, 1, NaN, 0);

  it('finds the dot under the pointer within 10 px, and nothing farther away', () => {
    const finder = new PointFinder();
    const [px, py] = [scales.x(1), scales.y(1)];
    expect(finder.find(positions, scales, px + 3, py - 4)).toBe(1);
    expect(finder.find(positions, scales, scales.x(0), scales.y(0))).toBe(0);
    expect(finder.find(positions, scales, px + 30, py)).toBeNull();
  });

  it('skips dots without a position and looks again after invalidate', () => {
    const finder = new PointFinder();
    expect(finder.find(positions, scales, scales.x(0) - 200, scales.y(0))).toBeNull();
    const moved = Float32Array.of(2, 2, 1, 1, NaN, 0);
    expect(finder.find(moved, scales, scales.x(2), scales.y(2))).toBeNull(); // still the old tree
    finder.invalidate();
    expect(finder.find(moved, scales, scales.x(2), scales.y(2))).toBe(0);
  });
});

describe('probe keys and axes', () => {
  it('moves by 0.1, or 0.5 with Shift, and ignores other keys', () => {
    expect(keyStep('ArrowLeft', false)).toEqual([-0.1, 0]);
    expect(keyStep('ArrowUp', true)).toEqual([0, 0.5]);
    expect(keyStep('ArrowDown', false)).toEqual([0, -0.1]);
    expect(keyStep('Enter', false)).toBeNull();
  });

  it('falls back to z₁, z₂ for axes that do not fit, and swaps when a dimension is picked twice', () => {
    expect(resolveAxes({ kind: 'pca' }, 2)).toEqual({ kind: 'dims', dims: [0, 1] });
    expect(resolveAxes({ kind: 'dims', dims: [3, 3] }, 10)).toEqual({ kind: 'dims', dims: [0, 1] });
    expect(resolveAxes({ kind: 'dims', dims: [3, 9] }, 10)).toEqual({ kind: 'dims', dims: [3, 9] });
    expect(pickDim([2, 5], 0, 5)).toEqual([5, 2]);
    expect(pickDim([2, 5], 1, 7)).toEqual([2, 7]);
  });

  it('colours by a factor only when the points have it', () => {
    const info = { names: ['shape', 'scale'], sizes: [3, 6] };
    expect(coloringFor('scale', info, false)).toEqual({ kind: 'class' });
    const byScale = coloringFor('scale', info, true);
    expect(byScale).toEqual({ kind: 'factor', factor: 1, name: 'scale', size: 6, categorical: false });
    const factors = Uint16Array.of(0, 5, 2, 1);
    expect(Array.from(colorKeys(byScale, [7, 8], factors, info, 2))).toEqual([5, 1]);
    expect(colorKeys({ kind: 'class' }, [7, 8], factors, info, 2)).toEqual([7, 8]);
  });
});
