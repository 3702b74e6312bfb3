/** A chart's domain from its data: NaN, infinities and missing values left out, never below the floor. */
import { describe, expect, it } from 'vitest';
import { finiteMax } from '../../src/ui/charts/finiteMax';

describe('finiteMax', () => {
  it('is the largest finite value, or the floor', () => {
    expect(finiteMax([3, 7.5, 2], 1)).toBe(7.5);
    expect(finiteMax([0.2, 0.5], 1)).toBe(1);
    expect(finiteMax([], 4)).toBe(4);
  });

  it('leaves out NaN, infinities and missing values (Math.max would give NaN)', () => {
    const values = [2, Number.NaN, 5, Infinity, -Infinity, undefined, null];
    expect(Math.max(1, ...values.map((v) => v ?? 0))).toBeNaN();
    expect(finiteMax(values, 1)).toBe(5);
  });
});
