/** What the tooltip says about the hovered dot: its test image, class, index, posterior mean and σ on the plane, and its ground-truth factors. */
import { useMemo } from 'react';
import { posteriorEllipse, projectPoint, type ProjectionAxes } from '../../../core/analysis/projection';
import type { LatentSnapshot } from '../../../state/appState';
import { describeFactors, type FactorInfo } from '../../charts/factorColors';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { mosaicLayout, type ImageShape } from '../../charts/mosaic';
import { formatCoord } from '../../format';

const THUMB = 56;

export interface ScatterTooltipProps {
  point: number;
  latents: LatentSnapshot;
  projection: ProjectionAxes;
  color: string;
  className: string;
  previewImages: Uint8Array | null;
  imageShape: ImageShape;
  /** The point's factors, when the snapshot has them. */
  factors: { values: Uint16Array; info: FactorInfo; categoryNames: readonly string[] } | null;
  canPick: boolean;
}

export function ScatterTooltip({ point, latents, projection, color, className, previewImages, imageShape, factors, canPick }: ScatterTooltipProps) {
  const { latentDim: dim } = latents;
  const mu = projectPoint(latents.mu.subarray(point * dim, (point + 1) * dim), projection);
  const sigma = posteriorEllipse(latents.logVar.subarray(point * dim, (point + 1) * dim), projection);
  const layout = useMemo(() => mosaicLayout({ rows: 1, cols: 1, image: imageShape, cell: THUMB }), [imageShape]);
  const tiles = useMemo(() => Int32Array.of(point), [point]);
  const pixels = imageShape.width * imageShape.height;
  const hasImage = !!previewImages && (point + 1) * pixels <= previewImages.length;
  const names = factors?.info.names.length ?? 0;
  return (
    <>
      <ImageMosaic className="latent-thumb" images={hasImage ? previewImages : null} image={imageShape} layout={layout} tiles={tiles} scale={255} background="#0e121b" />
      <div className="latent-tip-text">
        <div className="latent-tip-class">
          <span className="latent-swatch" style={{ background: color }} />
          {className}
          <span className="latent-tip-index">test #{latents.indices[point]}</span>
        </div>
        <div className="num">
          μ = ({formatCoord(mu[0])}, {formatCoord(mu[1])})
        </div>
        <div className="num">
          {projection.kind === 'dims' ? (
            <>
              σ = ({formatCoord(sigma.rx)}, {formatCoord(sigma.ry)})
            </>
          ) : (
            <>
              σ along the ellipse: {formatCoord(sigma.rx)}, {formatCoord(sigma.ry)}
            </>
          )}
        </div>
        {factors ? <div className="latent-tip-factors">{describeFactors(factors.values.subarray(point * names, (point + 1) * names), factors.info, factors.categoryNames)}</div> : null}
        {canPick ? <div className="latent-tip-hint">Shift-click or double-click: probe from here</div> : null}
      </div>
    </>
  );
}
