/** The scatter's choice of plane for more than two latent dimensions: a dimension per axis (with its KL), or PCA. */
import { useState } from 'react';
import { formatNatsFixed, latentLabel } from '../../format';
import { pickDim, type LatentAxes } from './axes';

export interface AxisPickerProps {
  axes: LatentAxes;
  latentDim: number;
  klPerDim: number[] | null;
  onChange(axes: LatentAxes): void;
}

export function AxisPicker({ axes, latentDim, klPerDim, onChange }: AxisPickerProps) {
  // The dims shown before PCA, to show (disabled) under PCA and to return to.
  const [before, setBefore] = useState<[number, number]>([0, 1]);
  const pca = axes.kind === 'pca';
  const dims = axes.kind === 'dims' ? axes.dims : before;
  const kl = klPerDim && klPerDim.length === latentDim ? klPerDim : null;
  const options = Array.from({ length: latentDim }, (_, i) => (
    <option key={i} value={i}>
      {latentLabel(i)}
      {kl ? ` (${formatNatsFixed(kl[i], 1)} nats)` : ''}
    </option>
  ));
  const togglePca = () => {
    if (pca) onChange({ kind: 'dims', dims: before });
    else {
      setBefore(dims);
      onChange({ kind: 'pca' });
    }
  };
  return (
    <div className="latent-axes">
      <label className="latent-axis-pick">
        <span aria-hidden="true">x</span>
        <select aria-label="Horizontal axis" value={dims[0]} disabled={pca} onChange={(e) => onChange({ kind: 'dims', dims: pickDim(dims, 0, Number(e.target.value)) })}>
          {options}
        </select>
      </label>
      <label className="latent-axis-pick">
        <span aria-hidden="true">y</span>
        <select aria-label="Vertical axis" value={dims[1]} disabled={pca} onChange={(e) => onChange({ kind: 'dims', dims: pickDim(dims, 1, Number(e.target.value)) })}>
          {options}
        </select>
      </label>
      <button type="button" aria-pressed={pca} title="Project the means onto their first two principal components" onClick={togglePca}>
        PCA
      </button>
    </div>
  );
}
