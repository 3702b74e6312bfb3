import { describe, expect, it } from 'vitest';
import { activeUnits, klPerDimSummary, mutualInformationGap } from '../../src/core/analysis/disentanglement';

/** mulberry32: a small seeded uniform generator in [0, 1), so every test sees the same numbers. */
function seeded(seed: number): { uniform: () => number; normal: () => number; int: (n: number) => number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal, int: (n) => Math.floor(uniform() * n) };
}

/** Uniformly random factor values, [count, sizes.length] row-major. */
function randomFactors(rand: ReturnType<typeof seeded>, count: number, sizes: number[]): Uint16Array {
  const f = new Uint16Array(count * sizes.length);
  for (let i = 0; i < count; i++) for (let k = 0; k < sizes.length; k++) f[i * sizes.length + k] = rand.int(sizes[k]);
  return f;
}

describe('activeUnits', () => {
  it('counts the units whose posterior mean varies by more than the threshold', () => {
    // Dim j alternates mean_j ± s_j, so its variance over the data (divisor N) is exactly s_j².
    const targets = [0, 0.005, 0.02, 1];
    const offsets = [3, -2, 100, 0.5]; // a large common offset must not hurt the two-pass variance
    const count = 1000;
    const dim = targets.length;
    const mu = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < dim; j++) mu[i * dim + j] = offsets[j] + (i % 2 === 0 ? 1 : -1) * Math.sqrt(targets[j]);
    }
    const au = activeUnits(mu, count, dim);
    expect(au.count).toBe(2);
    expect(au.active).toEqual([false, false, true, true]);
    for (let j = 0; j < dim; j++) expect(au.variances[j]).toBeCloseTo(targets[j], 5);
    expect(au.variances[0]).toBe(0);
    expect(activeUnits(mu, count, dim, 0.001).count).toBe(3);
  });

  it('gives zero variance for a single example and rejects an empty or misshapen batch', () => {
    expect(Array.from(activeUnits(new Float32Array([1, 2]), 1, 2).variances)).toEqual([0, 0]);
    expect(() => activeUnits(new Float32Array(0), 0, 4)).toThrow(/count/);
    expect(() => activeUnits(new Float32Array(7), 2, 4)).toThrow(/expected/);
  });
});

describe('mutualInformationGap', () => {
  it('is close to 1 when each factor is copied into its own latent (plus noise and idle latents)', () => {
    const rand = seeded(1);
    const sizes = [3, 6, 10, 8, 12];
    const count = 10_000;
    const dim = 8;
    const factors = randomFactors(rand, count, sizes);
    const codes = new Float32Array(count * dim);
    const latentOf = [4, 0, 6, 2, 5]; // a permutation, to check `top`
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < dim; j++) codes[i * dim + j] = rand.normal(); // idle latents: pure noise
      sizes.forEach((s, k) => {
        codes[i * dim + latentOf[k]] = factors[i * sizes.length + k] / (s - 1) + 0.01 * rand.normal();
      });
    }
    const r = mutualInformationGap(codes, count, dim, factors, sizes);
    expect(r.mig).toBeGreaterThan(0.9);
    expect(r.perFactor).toHaveLength(sizes.length);
    r.perFactor.forEach((p, k) => {
      expect(p.factor).toBe(k);
      expect(p.top[0]).toBe(latentOf[k]);
      expect(p.entropy).toBeCloseTo(Math.log(sizes[k]), 1);
      expect(p.gap).toBeGreaterThan(0.9);
      expect(p.mi).toBe(r.mi[k]);
    });
    expect(r.mi).toHaveLength(sizes.length);
    expect(r.mi[0]).toHaveLength(dim);
  });

  it('is close to 0 for codes independent of the factors', () => {
    const rand = seeded(2);
    const sizes = [3, 6, 10, 8, 12];
    const count = 20_000;
    const dim = 10;
    const factors = randomFactors(rand, count, sizes);
    const codes = new Float32Array(count * dim);
    for (let i = 0; i < codes.length; i++) codes[i] = rand.normal();
    const r = mutualInformationGap(codes, count, dim, factors, sizes);
    expect(r.mig).toBeGreaterThanOrEqual(0);
    expect(r.mig).toBeLessThan(0.05);
    for (const row of r.mi) for (const m of row) expect(m).toBeLessThan(0.02);
  });

  it('is close to 0 when every factor is encoded redundantly in two latents', () => {
    const rand = seeded(3);
    const sizes = [5, 7];
    const count = 10_000;
    const dim = 5;
    const factors = randomFactors(rand, count, sizes);
    const codes = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const a = factors[i * 2] + 0.05 * rand.normal();
      const b = factors[i * 2 + 1] + 0.05 * rand.normal();
      // Factor 0 in latents 0 and 3 (one rescaled and flipped), factor 1 in latents 1 and 2; latent 4 idle.
      codes[i * dim + 0] = a;
      codes[i * dim + 3] = -2.5 * a + 1;
      codes[i * dim + 1] = b;
      codes[i * dim + 2] = b;
      codes[i * dim + 4] = rand.uniform();
    }
    const r = mutualInformationGap(codes, count, dim, factors, sizes);
    expect(r.mig).toBeLessThan(0.05);
    expect([...r.perFactor[0].top].sort()).toEqual([0, 3]);
    expect([...r.perFactor[1].top].sort()).toEqual([1, 2]);
    expect(r.perFactor[1].gap).toBe(0); // identical codes, identical MI
    // Both copies carry the whole factor; the gap, not the information, is what vanishes.
    expect(r.mi[0][0]).toBeCloseTo(r.perFactor[0].entropy, 6);
    expect(r.mi[1][1]).toBeCloseTo(r.perFactor[1].entropy, 6);
  });

  it('gives I(z; v) = H(v) for a latent that is a bijective copy of the factor', () => {
    const rand = seeded(4);
    const sizes = [5];
    const count = 3000;
    const factors = new Uint16Array(count);
    // A skewed distribution, so H(v) is not simply log 5.
    const weights = [0.5, 0.2, 0.15, 0.1, 0.05];
    const p = new Float64Array(5);
    for (let i = 0; i < count; i++) {
      let u = rand.uniform();
      let v = 0;
      while (v < 4 && u >= weights[v]) u -= weights[v++];
      factors[i] = v;
      p[v] += 1 / count;
    }
    const entropy = -p.reduce((h, q) => h + (q > 0 ? q * Math.log(q) : 0), 0);
    const codes = Float32Array.from(factors, (v) => v); // the discretised latent *is* the factor
    const r = mutualInformationGap(codes, count, 1, factors, sizes);
    expect(r.perFactor[0].entropy).toBeCloseTo(entropy, 10);
    expect(r.mi[0][0]).toBeCloseTo(entropy, 10);
    // dim 1: there is no second latent, the gap is the top MI over H.
    expect(r.perFactor[0].top).toEqual([0, -1]);
    expect(r.perFactor[0].gap).toBeCloseTo(1, 10);
    expect(r.mig).toBeCloseTo(1, 10);
  });

  it('handles constant latents, skips single-valued factors and honours `bins`', () => {
    const rand = seeded(5);
    const count = 2000;
    const sizes = [4, 3];
    const factors = randomFactors(rand, count, sizes);
    for (let i = 0; i < count; i++) factors[i * 2 + 1] = 2; // factor 1 never varies
    const codes = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      codes[i * 2] = factors[i * 2]; // copy of factor 0
      codes[i * 2 + 1] = 0.7; // constant latent
    }
    const r = mutualInformationGap(codes, count, 2, factors, sizes);
    expect(r.perFactor.map((p) => p.factor)).toEqual([0]);
    expect(r.mi[0][1]).toBe(0);
    expect(r.mi[1]).toEqual([0, 0]);
    expect(Number.isFinite(r.mig)).toBe(true);
    expect(r.mig).toBeCloseTo(1, 10);
    // With 2 bins the 4 values are merged pairwise: I = log 2 (about half of H = log 4 for uniform v).
    const coarse = mutualInformationGap(codes, count, 2, factors, sizes, { bins: 2 });
    expect(coarse.mi[0][0]).toBeLessThan(r.mi[0][0] * 0.6);
    expect(coarse.mi[0][0]).toBeGreaterThan(r.mi[0][0] * 0.4);
  });

  it('rejects empty, misshapen or out-of-range input with a clear error', () => {
    const codes = new Float32Array([0, 1, 2, 3]);
    expect(() => mutualInformationGap(new Float32Array(0), 0, 2, new Uint16Array(0), [2])).toThrow(/count must be a positive integer/);
    expect(() => mutualInformationGap(codes, 2, 2, new Uint16Array(3), [2])).toThrow(/expected/);
    expect(() => mutualInformationGap(codes, 2, 2, new Uint16Array([0, 5]), [2])).toThrow(/outside/);
    expect(() => mutualInformationGap(codes, 2, 2, new Uint16Array([1, 1]), [2])).toThrow(/zero entropy/);
    expect(() => mutualInformationGap(codes, 2, 2, new Uint16Array([0, 1]), [2], { bins: 1 })).toThrow(/bins/);
    expect(() => mutualInformationGap(new Float32Array([0, NaN]), 2, 1, new Uint16Array([0, 1]), [2])).toThrow(/non-finite/);
  });
});

describe('klPerDimSummary', () => {
  it('orders dims by KL (largest first) and flags the collapsed ones', () => {
    const s = klPerDimSummary([0.001, 2.5, 0.3, 0.0, 2.5, 0.02]);
    expect(s.order).toEqual([1, 4, 2, 5, 0, 3]);
    expect(s.collapsed).toEqual([true, false, false, true, false, false]);
    expect(s.activeCount).toBe(4);
    expect(klPerDimSummary([0.05, 0.2], 0.1).collapsed).toEqual([true, false]);
    expect(klPerDimSummary([]).order).toEqual([]);
  });
});
