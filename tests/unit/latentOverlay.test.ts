/** The interpolation path on the latent scatter: drawn where its points are finite, hidden where a diverged model made NaN. */
import { describe, expect, it } from 'vitest';
import type { ProjectionAxes } from '../../src/core/analysis/projection';
import { drawablePath } from '../../src/ui/panels/latent/view/ToolsLayer';

const dims: ProjectionAxes = { kind: 'dims', dims: [0, 2] };
const scale = (v: number) => 100 + 10 * v;

describe('the interpolation path on the scatter', () => {
  it('projects each row of the path onto the two shown dimensions', () => {
    const path = Float32Array.from([1, 9, 2, 3, 9, 4, 5, 9, 6]);
    expect(drawablePath(path, 3, dims, scale, scale)).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('draws nothing when one point is NaN or infinite, or when there is no path', () => {
    expect(drawablePath(Float32Array.from([1, 0, 2, Number.NaN, 0, 4]), 3, dims, scale, scale)).toEqual([]);
    expect(drawablePath(Float32Array.from([1, 0, 2, 3, 0, Infinity]), 3, dims, scale, scale)).toEqual([]);
    expect(drawablePath(null, 3, dims, scale, scale)).toEqual([]);
    // a scale without a domain yet maps everything to NaN
    expect(drawablePath(Float32Array.from([1, 0, 2, 3, 0, 4]), 3, dims, () => Number.NaN, scale)).toEqual([]);
  });
});
