/** The Model diagram's value bars: scaled to their range, and no bar (not a NaN height) for a value a diverged model made NaN or infinite. */
import { describe, expect, it } from 'vitest';
import { BAR_RANGE, barHeight } from '../../src/ui/panels/explain/diagramGeometry';

describe('a diagram node’s value bar', () => {
  it('grows with |v| up to the range, then stays at its full height', () => {
    expect(barHeight(0, 10)).toBe(0);
    expect(barHeight(BAR_RANGE / 2, 10)).toBeCloseTo(5);
    expect(barHeight(-BAR_RANGE / 2, 10)).toBeCloseTo(5);
    expect(barHeight(100 * BAR_RANGE, 10)).toBe(10);
  });

  it('is 0 for NaN and ±∞, never NaN', () => {
    for (const v of [Number.NaN, Infinity, -Infinity]) expect(barHeight(v, 10)).toBe(0);
  });
});
