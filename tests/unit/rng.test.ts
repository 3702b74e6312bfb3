import { describe, expect, it } from 'vitest';
import { Batcher, gatherRows, Rng } from '../../src/data/rng';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng(42), 20)).not.toEqual(draws(new Rng(43), 20));
    expect(draws(new Rng(0), 20)).not.toEqual(draws(new Rng(1), 20));
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const rng = new Rng(7);
    const buckets = new Array(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(600);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 over 100k draws', () => {
    const rng = new Rng(123);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(Number.isFinite(sumSq)).toBe(true);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard errors: 1/√n ≈ 0.003 for the mean, √(2/n) ≈ 0.0045 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
  });

  it('int(n) covers [0, n) and rejects bad n', () => {
    const rng = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(6);
      expect(Number.isInteger(k) && k >= 0 && k < 6).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(6);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('shuffleInPlace permutes arrays and typed arrays deterministically', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(9).shuffleInPlace(a.slice());
    expect(shuffled).not.toEqual(a);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(a);
    const typed = new Rng(9).shuffleInPlace(Int32Array.from(a));
    expect(Array.from(typed)).toEqual(shuffled);
  });
});

describe('Batcher', () => {
  it('covers every index exactly once per epoch, across several epochs', () => {
    const count = 1003;
    const batcher = new Batcher(count, 64, 1);
    expect(batcher.batchesPerEpoch).toBe(16);
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(batcher.epoch).toBe(epoch);
      expect(batcher.positionInEpoch).toBe(0);
      const seen: number[] = [];
      for (let b = 0; b < batcher.batchesPerEpoch; b++) {
        const batch = batcher.nextBatch();
        expect(batch.length).toBe(b < 15 ? 64 : count - 15 * 64);
        seen.push(...batch);
        if (b < 15) expect(batcher.positionInEpoch).toBeCloseTo(((b + 1) * 64) / count);
      }
      expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
      orders.push(seen);
    }
    expect(batcher.epoch).toBe(3);
    // Each epoch is reshuffled.
    expect(orders[0]).not.toEqual(orders[1]);
    expect(orders[1]).not.toEqual(orders[2]);
  });

  it('is deterministic per seed', () => {
    const a = new Batcher(100, 10, 77);
    const b = new Batcher(100, 10, 77);
    const c = new Batcher(100, 10, 78);
    for (let i = 0; i < 25; i++) {
      const batch = a.nextBatch();
      expect(batch).toEqual(b.nextBatch());
      if (i === 0) expect(batch).not.toEqual(c.nextBatch());
    }
  });

  it('clamps a batch size larger than the data', () => {
    const batcher = new Batcher(5, 100, 3);
    expect(batcher.nextBatch().length).toBe(5);
    expect(batcher.epoch).toBe(1);
  });
});

describe('gatherRows', () => {
  const source = Float32Array.from({ length: 12 }, (_, i) => i); // 4 rows of 3

  it('copies the requested rows in order', () => {
    expect(Array.from(gatherRows(source, 3, [2, 0, 2]))).toEqual([6, 7, 8, 0, 1, 2, 6, 7, 8]);
  });

  it('reuses a given buffer and returns the filled part of a larger one', () => {
    const out = new Float32Array(9);
    expect(gatherRows(source, 3, Int32Array.from([3, 1, 0]), out)).toBe(out);
    expect(Array.from(out)).toEqual([9, 10, 11, 3, 4, 5, 0, 1, 2]);
    const part = gatherRows(source, 3, [1], out);
    expect(part.buffer).toBe(out.buffer);
    expect(Array.from(part)).toEqual([3, 4, 5]);
  });

  it('rejects out-of-range rows and a too-small buffer', () => {
    expect(() => gatherRows(source, 3, [4])).toThrow(RangeError);
    expect(() => gatherRows(source, 3, [-1])).toThrow(RangeError);
    expect(() => gatherRows(source, 3, [0, 1], new Float32Array(5))).toThrow(RangeError);
  });
});
