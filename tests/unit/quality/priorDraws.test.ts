/** The score's samples come from the model's prior: N(0, I), or a learned mixture's components by their weights. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/data/rng';
import { drawPrior } from '../../../src/worker/analysis/sampleQuality';

describe('the prior draws of Score samples', () => {
  it('are standard normal without a mixture', () => {
    const z = drawPrior(4000, 2, new Rng(1), null);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(variance).toBeCloseTo(1, 1);
  });

  it('pick a mixture’s component by its weight, then draw around its mean with its σ', () => {
    // two components on the first axis at −5 and +5 (σ = 0.1), weights 0.25 / 0.75
    const mixture = { count: 2, weights: Float32Array.of(0.25, 0.75), means: Float32Array.of(-5, 0, 5, 0), logVars: Float32Array.of(Math.log(0.01), Math.log(0.01), Math.log(0.01), Math.log(0.01)), pseudoInputs: null };
    const n = 4000;
    const z = drawPrior(n, 2, new Rng(2), mixture);
    let right = 0;
    for (let i = 0; i < n; i++) {
      const first = z[2 * i];
      expect(Math.min(Math.abs(first - 5), Math.abs(first + 5))).toBeLessThan(0.6);
      expect(Math.abs(z[2 * i + 1])).toBeLessThan(0.6);
      if (first > 0) right += 1;
    }
    expect(right / n).toBeCloseTo(0.75, 1);
  });
});
