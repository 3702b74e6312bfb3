/** Which plane of the latent space the scatter shows: two chosen dimensions, or the first two principal components. Pure. */
import { latentLabel } from '../../format';

export type LatentAxes = { kind: 'dims'; dims: [number, number] } | { kind: 'pca' };

/** The axes actually shown: the requested ones if they make sense for latentDim, else z₁/z₂. */
export function resolveAxes(axes: LatentAxes, latentDim: number): LatentAxes {
  if (axes.kind === 'pca') return latentDim > 2 ? axes : { kind: 'dims', dims: [0, 1] };
  const [i, j] = axes.dims;
  const ok = (d: number) => Number.isInteger(d) && d >= 0 && d < latentDim;
  if (latentDim >= 2 && ok(i) && ok(j) && i !== j) return axes;
  return { kind: 'dims', dims: [0, 1] };
}

/** The axes' titles: "z₁", "z₂" or "PC 1", "PC 2". */
export function axisLabels(axes: LatentAxes, latentDim: number): [string, string] {
  if (axes.kind === 'pca') return ['PC 1', 'PC 2'];
  return [latentLabel(axes.dims[0]), latentDim >= 2 ? latentLabel(axes.dims[1]) : ''];
}

/** New dims after picking `value` for axis `which`: picking the dimension on the other axis swaps the two. */
export function pickDim(dims: readonly [number, number], which: 0 | 1, value: number): [number, number] {
  const other = dims[1 - which];
  const next: [number, number] = which === 0 ? [value, other] : [other, value];
  if (next[0] === next[1]) next[1 - which] = dims[which];
  return next;
}
