/**
 * The plane the scatter shows, as a projection of the latent space: two dimensions, or the first
 * two principal components of the snapshot's means. PCA is refitted per snapshot, warm-started
 * from the last fit (kept in state, not a ref) so the axes keep their signs between snapshots.
 */
import { useMemo, useState } from 'react';
import { pca2, project2, projectPoint, type Pca2, type ProjectionAxes } from '../../../core/analysis/projection';
import type { LatentSnapshot } from '../../../state/appState';
import type { LatentAxes } from './axes';

export interface Projection {
  axes: ProjectionAxes;
  /** Names the plane ("10:pca", "10:3,7"): a new plane refits the view. */
  key: string;
  /** The snapshot's means on the plane, row-major [count, 2]. */
  positions: Float32Array;
  /** Where z = 0 lands. */
  origin: [number, number];
}

export function useProjection(latents: LatentSnapshot, shown: LatentAxes): Projection {
  const { mu, count, latentDim: dim } = latents;
  const [fit, setFit] = useState<{ source: LatentSnapshot; pca: Pca2 } | null>(null);
  let pca: Pca2 | null = null;
  if (shown.kind === 'pca') {
    if (fit?.source === latents) pca = fit.pca;
    else {
      // Derived from the previous render's fit: React re-renders at once with the new state.
      pca = pca2(mu, count, dim, fit?.pca ?? null);
      setFit({ source: latents, pca });
    }
  }
  const d0 = shown.kind === 'dims' ? shown.dims[0] : -1;
  const d1 = shown.kind === 'dims' ? shown.dims[1] : -1;
  const axes = useMemo<ProjectionAxes>(() => (pca ? { kind: 'pca', pca } : { kind: 'dims', dims: [d0, d1] }), [pca, d0, d1]);
  const positions = useMemo(() => project2(mu, count, dim, axes), [mu, count, dim, axes]);
  const origin = useMemo(() => projectPoint(new Array<number>(dim).fill(0), axes), [dim, axes]);
  return { axes, key: `${dim}:${pca ? 'pca' : `${d0},${d1}`}`, positions, origin };
}
