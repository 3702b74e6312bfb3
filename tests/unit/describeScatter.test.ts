/** The latent scatter in words (the canvas's text alternative, ui/a11y/describeScatter.ts). */
import { describe, expect, it } from 'vitest';
import { describeScatter } from '../../src/ui/a11y/describeScatter';

describe('describeScatter', () => {
  it('gives the count, the axes with their ranges, and where each class sits on average', () => {
    const xy = Float32Array.from([0, 0, 2, 2, -1, 3, -3, 1]);
    const text = describeScatter({ xy, count: 4, keys: [0, 0, 1, 1], keyName: (k) => ['zero', 'one'][k], colouredBy: 'class', xLabel: 'z₁', yLabel: 'z₂' });
    expect(text).toBe(
      '4 test points, their posterior means along z₁ (-3.0 to 2.0) and z₂ (0.0 to 3.0), coloured by class. Average position by class: zero at (1.0, 1.0); one at (-2.0, 2.0).',
    );
  });

  it('counts the colours instead of listing them when there are many, and says when there are no points', () => {
    const count = 40;
    const xy = Float32Array.from({ length: 2 * count }, (_, i) => i);
    const text = describeScatter({ xy, count, keys: Array.from({ length: count }, (_, i) => i), keyName: String, colouredBy: 'orientation', xLabel: 'PC 1', yLabel: 'PC 2' });
    expect(text).toMatch(/^40 test points, .* coloured by orientation\. 40 colours\.$/);
    expect(describeScatter({ xy: [], count: 0, keys: [], keyName: String, colouredBy: 'class', xLabel: 'x', yLabel: 'y' })).toBe('The latent space: no points yet.');
  });
});
