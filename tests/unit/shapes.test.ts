import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, ImageSplit } from '../../src/data/dataset';
import { loadDataset } from '../../src/data/registry';
import { Rng } from '../../src/data/rng';
import {
  enumerateFactorGrid,
  factorIndexToValues,
  generateShapes,
  renderSprite,
  SHAPES_FACTORS,
  SHAPES_GRID_SIZE,
  valuesToFactorIndex,
} from '../../src/data/shapes';

const PIXELS = 32 * 32;

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return bytesOf(a).equals(bytesOf(b));
}

/** Grid indices of a split's stored factors. */
function gridIndices(split: ImageSplit): number[] {
  const values = split.factors!.values;
  const n = SHAPES_FACTORS.sizes.length;
  return Array.from({ length: split.count }, (_, i) => valuesToFactorIndex(values.subarray(i * n, (i + 1) * n)));
}

/** [centre-of-mass x, centre-of-mass y, pixel count] of a 32×32 image. */
function moments(image: ArrayLike<number>): [number, number, number] {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < PIXELS; i++) {
    if (image[i]) {
      count++;
      sx += i % 32;
      sy += Math.floor(i / 32);
    }
  }
  return [sx / count, sy / count, count];
}

describe('Shapes factor grid', () => {
  it('has the dSprites factors', () => {
    expect(SHAPES_FACTORS.names).toEqual(['shape', 'scale', 'orientation', 'x', 'y']);
    expect(SHAPES_FACTORS.sizes).toEqual([3, 6, 40, 32, 32]);
    expect(SHAPES_GRID_SIZE).toBe(737_280);
  });

  it('enumerates 737,280 distinct combinations, in index order', () => {
    const seen = new Set<string>();
    let n = 0;
    let inOrder = true;
    for (const values of enumerateFactorGrid()) {
      if (valuesToFactorIndex(values) !== n) inOrder = false;
      seen.add(values.join(','));
      n++;
    }
    expect(n).toBe(737_280);
    expect(seen.size).toBe(737_280);
    expect(inOrder).toBe(true);
  });

  it('round-trips index ↔ values at the corners and at random points', () => {
    const sizes = SHAPES_FACTORS.sizes;
    // All 2^5 corners of the grid.
    for (let mask = 0; mask < 32; mask++) {
      const values = sizes.map((size, f) => ((mask >> f) & 1 ? size - 1 : 0));
      const index = valuesToFactorIndex(values);
      expect(factorIndexToValues(index)).toEqual(values);
    }
    expect(factorIndexToValues(0)).toEqual([0, 0, 0, 0, 0]);
    expect(factorIndexToValues(737_279)).toEqual([2, 5, 39, 31, 31]);
    expect(valuesToFactorIndex([0, 0, 0, 0, 1])).toBe(1); // y varies fastest
    expect(valuesToFactorIndex([1, 0, 0, 0, 0])).toBe(6 * 40 * 32 * 32);
    const rng = new Rng(5);
    for (let k = 0; k < 1000; k++) {
      const index = rng.int(SHAPES_GRID_SIZE);
      const values = factorIndexToValues(index);
      values.forEach((v, f) => {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(sizes[f]);
      });
      expect(valuesToFactorIndex(values)).toBe(index);
    }
  });

  it('rejects out-of-range indices and values', () => {
    expect(() => factorIndexToValues(-1)).toThrow(RangeError);
    expect(() => factorIndexToValues(737_280)).toThrow(RangeError);
    expect(() => factorIndexToValues(1.5)).toThrow(RangeError);
    expect(() => valuesToFactorIndex([3, 0, 0, 0, 0])).toThrow(RangeError);
    expect(() => valuesToFactorIndex([0, 0, 0, 0])).toThrow(RangeError);
    expect(() => renderSprite([0, 0, 40, 0, 0])).toThrow(RangeError);
    expect(() => renderSprite([0, 0, 0, 0, 0], new Uint8Array(10))).toThrow(RangeError);
  });
});

describe('renderSprite', () => {
  it('draws binary, non-empty 32×32 sprites and reuses the output buffer', () => {
    const out = new Uint8Array(PIXELS).fill(1);
    const image = renderSprite([2, 3, 7, 10, 20], out);
    expect(image).toBe(out);
    expect(image.every((p) => p === 0 || p === 1)).toBe(true);
    expect(sameBytes(image, renderSprite([2, 3, 7, 10, 20]))).toBe(true); // stale 1s were cleared
    const [, , count] = moments(image);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(PIXELS / 4);
  });

  it('moves the centre of mass right with x and down with y', () => {
    for (const shape of [0, 1, 2]) {
      for (const scale of [0, 3, 5]) {
        for (const orientation of [0, 7, 13, 25]) {
          for (const other of [0, 9, 31]) {
            const byX = Array.from({ length: 32 }, (_, x) => moments(renderSprite([shape, scale, orientation, x, other])));
            const byY = Array.from({ length: 32 }, (_, y) => moments(renderSprite([shape, scale, orientation, other, y])));
            for (let k = 1; k < 32; k++) {
              expect(byX[k][0]).toBeGreaterThanOrEqual(byX[k - 1][0]);
              expect(byY[k][1]).toBeGreaterThanOrEqual(byY[k - 1][1]);
            }
            for (let k = 4; k < 32; k++) {
              expect(byX[k][0]).toBeGreaterThan(byX[k - 4][0]);
              expect(byY[k][1]).toBeGreaterThan(byY[k - 4][1]);
            }
            // Across the whole range the sprite travels most of the image.
            expect(byX[31][0] - byX[0][0]).toBeGreaterThan(15);
            expect(byY[31][1] - byY[0][1]).toBeGreaterThan(15);
            // Moving along x leaves the vertical centre alone (up to clipping at the edges).
            expect(Math.abs(byX[31][1] - byX[0][1])).toBeLessThan(0.75);
          }
        }
      }
    }
  });

  it('grows with scale', () => {
    for (const shape of [0, 1, 2]) {
      for (let orientation = 0; orientation < 40; orientation += 3) {
        const counts = Array.from({ length: 6 }, (_, scale) => moments(renderSprite([shape, scale, orientation, 16, 16]))[2]);
        for (let s = 1; s < 6; s++) expect(counts[s]).toBeGreaterThan(counts[s - 1]);
        // Scale 1 vs 0.5: about four times the area.
        expect(counts[5] / counts[0]).toBeGreaterThan(2.5);
        expect(counts[5] / counts[0]).toBeLessThan(5.5);
      }
    }
  });

  it('turns a heart into a different image at every orientation', () => {
    for (let scale = 1; scale < 6; scale++) {
      const images = new Set<string>();
      for (let o = 0; o < 40; o++) images.add(renderSprite([2, scale, o, 16, 16]).join(''));
      expect(images.size).toBe(40);
    }
    // Even the smallest heart has no rotational symmetry.
    const upright = renderSprite([2, 0, 0, 16, 16]);
    for (const o of [10, 20, 30]) expect(sameBytes(renderSprite([2, 0, o, 16, 16]), upright)).toBe(false);
    // Upright at orientation 0 (lobes up, tip down), so the mass sits high; half a turn flips it.
    const [, cy] = moments(renderSprite([2, 5, 0, 16, 16]));
    const [, cyFlipped] = moments(renderSprite([2, 5, 20, 16, 16]));
    expect(cyFlipped - cy).toBeGreaterThan(1);
  });

  it('does not special-case symmetries, like dSprites: a square a quarter-turn on looks the same', () => {
    expect(sameBytes(renderSprite([0, 4, 10, 16, 16]), renderSprite([0, 4, 0, 16, 16]))).toBe(true);
    expect(sameBytes(renderSprite([1, 4, 20, 16, 16]), renderSprite([1, 4, 0, 16, 16]))).toBe(true);
    // …but an eighth of a turn does change them.
    expect(sameBytes(renderSprite([0, 4, 5, 16, 16]), renderSprite([0, 4, 0, 16, 16]))).toBe(false);
    expect(sameBytes(renderSprite([1, 4, 10, 16, 16]), renderSprite([1, 4, 0, 16, 16]))).toBe(false);
  });

  it('tells the shapes apart: the square fills its bounding box, the ellipse is wider than tall', () => {
    const box = (image: Uint8Array) => {
      let c0 = 32, c1 = -1, r0 = 32, r1 = -1;
      image.forEach((p, i) => {
        if (!p) return;
        c0 = Math.min(c0, i % 32);
        c1 = Math.max(c1, i % 32);
        r0 = Math.min(r0, Math.floor(i / 32));
        r1 = Math.max(r1, Math.floor(i / 32));
      });
      return { w: c1 - c0 + 1, h: r1 - r0 + 1 };
    };
    const square = renderSprite([0, 5, 0, 16, 16]);
    const sq = box(square);
    // Full but for at most the four corner pixels, which sub-pixel edges can leave under half covered.
    expect(moments(square)[2]).toBeGreaterThanOrEqual(sq.w * sq.h - 4);
    expect(sq.w).toBe(sq.h);
    const ellipse = box(renderSprite([1, 5, 0, 16, 16]));
    expect(ellipse.w).toBeGreaterThan(1.6 * ellipse.h);
    const heart = renderSprite([2, 5, 0, 16, 16]);
    const hb = box(heart);
    expect(moments(heart)[2]).toBeLessThan(0.8 * hb.w * hb.h);
  });
});

describe('generateShapes', () => {
  let defaults: Dataset;
  let defaultMs = 0;
  const progress: Array<[number, number]> = [];

  beforeAll(() => {
    const t0 = performance.now();
    defaults = generateShapes({ seed: 0, onProgress: (done, total) => progress.push([done, total]) });
    defaultMs = performance.now() - t0;
    console.info(`generateShapes (40,000 + 5,000 images): ${defaultMs.toFixed(0)} ms`);
  });

  it('builds the default data set quickly, reporting progress in chunks', () => {
    expect(defaults.id).toBe('shapes');
    expect(defaults.name).toBe('Shapes (dSprites factors)');
    expect(defaults.shape).toEqual({ width: 32, height: 32, channels: 1 });
    expect(defaults.classNames).toEqual(['square', 'ellipse', 'heart']);
    expect(defaults.train.count).toBe(40_000);
    expect(defaults.test.count).toBe(5_000);
    expect(defaults.train.images.length).toBe(40_000 * PIXELS);
    expect(defaults.test.images.length).toBe(5_000 * PIXELS);
    expect(defaults.train.labels.length).toBe(40_000);
    expect(defaultMs).toBeLessThan(10_000); // ~0.5 s on a laptop; generous for loaded CI machines

    expect(progress[0]).toEqual([0, 45_000]);
    expect(progress[progress.length - 1]).toEqual([45_000, 45_000]);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.length).toBeLessThan(100);
    for (let k = 1; k < progress.length; k++) expect(progress[k][0]).toBeGreaterThan(progress[k - 1][0]);
  });

  it('stores the factors on both splits, with labels equal to the shape', () => {
    for (const split of [defaults.train, defaults.test]) {
      const factors = split.factors!;
      expect(factors.names).toEqual(SHAPES_FACTORS.names);
      expect(factors.sizes).toEqual(SHAPES_FACTORS.sizes);
      expect(factors.values).toBeInstanceOf(Uint16Array);
      expect(factors.values.length).toBe(split.count * 5);
      let mismatched = 0;
      for (let i = 0; i < split.count; i++) if (split.labels[i] !== factors.values[i * 5]) mismatched++;
      expect(mismatched).toBe(0);
      for (let f = 0; f < 5; f++) {
        let max = 0;
        for (let i = 0; i < split.count; i++) max = Math.max(max, factors.values[i * 5 + f]);
        expect(max).toBeLessThan(SHAPES_FACTORS.sizes[f]);
      }
    }
    // A uniform sample: every shape about a third of the training set.
    const perShape = [0, 0, 0];
    for (const label of defaults.train.labels) perShape[label]++;
    for (const n of perShape) expect(Math.abs(n / 40_000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('has no factor combination in both train and test, nor twice in one split', () => {
    const train = gridIndices(defaults.train);
    const test = gridIndices(defaults.test);
    const trainSet = new Set(train);
    expect(trainSet.size).toBe(train.length);
    expect(new Set(test).size).toBe(test.length);
    expect(test.filter((index) => trainSet.has(index))).toEqual([]);
  });

  it('has only binary, non-empty images', () => {
    for (const split of [defaults.train, defaults.test]) {
      let nonBinary = 0;
      let empty = 0;
      for (let i = 0; i < split.count; i++) {
        let on = 0;
        for (let p = i * PIXELS; p < (i + 1) * PIXELS; p++) {
          const v = split.images[p];
          if (v === 1) on++;
          else if (v !== 0) nonBinary++;
        }
        if (on === 0) empty++;
      }
      expect(nonBinary).toBe(0);
      expect(empty).toBe(0);
    }
  });

  it('stores factors that match the images (re-rendered)', () => {
    const rng = new Rng(11);
    for (const split of [defaults.train, defaults.test]) {
      for (let k = 0; k < 200; k++) {
        const i = k < 2 ? k * (split.count - 1) : rng.int(split.count);
        const values = Array.from(split.factors!.values.subarray(i * 5, i * 5 + 5));
        const rendered = Float32Array.from(renderSprite(values));
        expect(sameBytes(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), rendered)).toBe(true);
      }
    }
  });

  it('is byte-identical for the same seed and a different sample for another seed', () => {
    const options = { trainCount: 3_000, testCount: 700 };
    const a = generateShapes({ seed: 42, ...options });
    const b = generateShapes({ seed: 42, ...options });
    const c = generateShapes({ seed: 43, ...options });
    for (const key of ['train', 'test'] as const) {
      expect(b[key].count).toBe(a[key].count);
      expect(sameBytes(a[key].images, b[key].images)).toBe(true);
      expect(sameBytes(a[key].labels, b[key].labels)).toBe(true);
      expect(sameBytes(a[key].factors!.values, b[key].factors!.values)).toBe(true);
      expect(sameBytes(a[key].factors!.values, c[key].factors!.values)).toBe(false);
      expect(sameBytes(a[key].images, c[key].images)).toBe(false);
    }
    // Another seed is another sample, not a reordering: few grid points in common (~0.5 % expected).
    const inA = new Set(gridIndices(a.train));
    const shared = gridIndices(c.train).filter((index) => inA.has(index)).length;
    expect(shared).toBeLessThan(100);
    expect(a.train.count).toBe(3_000);
    expect(a.test.count).toBe(700);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateShapes({ seed: 0, trainCount: 0 })).toThrow(RangeError);
    expect(() => generateShapes({ seed: 0, testCount: 1.5 })).toThrow(RangeError);
    expect(() => generateShapes({ seed: 0, trainCount: 737_000, testCount: 1_000 })).toThrow(RangeError);
  });
});

describe("loadDataset('shapes')", () => {
  it('generates the data set, reporting progress with stage "generate"', async () => {
    const stages = new Set<string>();
    let last: [number, number] = [0, 0];
    const dataset = await loadDataset('shapes', 'http://localhost/', (loaded, total, stage) => {
      stages.add(stage);
      last = [loaded, total];
    });
    expect(dataset.id).toBe('shapes');
    expect(dataset.train.count).toBe(40_000);
    expect(dataset.test.count).toBe(5_000);
    expect([...stages]).toEqual(['generate']);
    expect(last).toEqual([45_000, 45_000]);
    // Fixed seed: the same data every time.
    const again = generateShapes({ seed: 0 });
    expect(sameBytes(dataset.train.factors!.values, again.train.factors!.values)).toBe(true);
  });
});
