/**
 * A learned prior, as the page sees it: each component's weight (the mixture of Gaussians), or
 * each pseudo-input u_k as the image it is (the VampPrior: p(z) = (1/K) Σ_k q(z|u_k)). The KL
 * term under such a prior is the one-sample estimate log q(z|x) − log p(z); the caption says so.
 */
import { useMemo } from 'react';
import type { PriorReport } from '../../../state/appState';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { devicePx, mosaicLayout, sequentialTiles } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { useElementWidth } from '../../hooks/useElementWidth';
import '../classes/classes.css';

export interface PriorPanelProps {
  prior: PriorReport;
  imageShape: { width: number; height: number };
  /** The component the decoder grid samples from (null: the whole prior). */
  gridComponent: number | null;
  onPickComponent(component: number | null): void;
}

const MAX_TILE = 40;
const SHOWN = 60;

export function PriorPanel({ prior, imageShape, gridComponent, onPickComponent }: PriorPanelProps) {
  const [measureRef, available] = useElementWidth();
  const pseudo = prior.pseudoInputs;
  const shown = Math.min(prior.count, SHOWN);
  const cols = Math.min(shown, 10);
  const rows = Math.ceil(shown / cols);
  const gapX = devicePx(3, 1);
  const layout = useMemo(() => mosaicLayout({ rows, cols, image: imageShape, room: Math.min(available, cols * (MAX_TILE + 3)), gapX }), [rows, cols, imageShape, available, gapX]);
  const tiles = useMemo(() => sequentialTiles(shown), [shown]);

  const heaviest = Math.max(...Array.from(prior.weights));
  const vamp = prior.kind === 'vamp';
  const caption = (
    <>
      {vamp ? (
        <>
          The VampPrior p(z) = (1/K) Σ_k q(z|u_k) of K = {prior.count} learned pseudo-inputs u_k, shown as the images they are; their posteriors are the
          ellipses in the latent space.
        </>
      ) : (
        <>
          The learned mixture p(z) = Σ_k w_k N(μ_k, diag σ_k²), K = {prior.count}: each component&rsquo;s weight w_k; the ellipses in the latent space are
          its 1σ and 2σ.
        </>
      )}{' '}
      The KL has no closed form under this prior: the KL term is the one-sample estimate log q(z|x) − log p(z) at the reparameterised z (so it can
      dip below 0 for an image), and it does not split into dimensions. Pick a component to sample the decoder grid from it.
    </>
  );
  return (
    <Panel title={vamp ? 'VampPrior pseudo-inputs' : 'Prior components'} className="prior-panel" caption={caption}>
      <div ref={measureRef}>
        {pseudo ? <ImageMosaic images={pseudo} image={imageShape} layout={layout} tiles={tiles} role="img" aria-label={`${shown} pseudo-inputs of the VampPrior`} className="prior-pseudo" /> : null}
      </div>
      <div className="prior-weights" role="group" aria-label="Sample the grid from">
        <button type="button" aria-pressed={gridComponent === null} onClick={() => onPickComponent(null)}>
          all
        </button>
        {Array.from({ length: Math.min(prior.count, SHOWN) }, (_, k) => (
          <button key={k} type="button" aria-pressed={gridComponent === k} onClick={() => onPickComponent(gridComponent === k ? null : k)} title={`component ${k + 1}: weight ${prior.weights[k].toFixed(3)}`}>
            <span className="prior-weight-bar" style={{ height: `${Math.max(2, (20 * prior.weights[k]) / heaviest)}px` }} />
            {k + 1}
          </button>
        ))}
      </div>
    </Panel>
  );
}
