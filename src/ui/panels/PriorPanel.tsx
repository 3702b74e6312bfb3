/**
 * A learned prior, as the page sees it: each component's weight (the mixture of Gaussians), or
 * each pseudo-input u_k as the image it is (the VampPrior: p(z) = (1/K) Σ_k q(z|u_k)). The KL
 * term under such a prior is the one-sample estimate log q(z|x) − log p(z); the caption says so.
 */
import { useLayoutEffect, useRef } from 'react';
import type { PriorReport } from '../../state/appState';
import { drawGrayscale, prepareCanvas, type Rgb } from '../lib/imageCanvas';
import { useElementWidth } from '../lib/useElementWidth';
import { Panel } from './Panel';
import './classes.css';

export interface PriorPanelProps {
  prior: PriorReport;
  imageShape: { width: number; height: number };
  /** The component the decoder grid samples from (null: the whole prior). */
  gridComponent: number | null;
  onPickComponent(component: number | null): void;
}

const MAX_TILE = 40;
const GAP = 3;
const TILE_LOW: Rgb = [14, 18, 27];
const SHOWN = 60;

export function PriorPanel({ prior, imageShape, gridComponent, onPickComponent }: PriorPanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [measureRef, available] = useElementWidth();
  const { width: w, height: h } = imageShape;
  const pseudo = prior.pseudoInputs;
  const shown = Math.min(prior.count, SHOWN);
  const cols = Math.min(shown, 10);
  const rows = Math.ceil(shown / cols);
  const TILE = Math.max(8, Math.min(MAX_TILE, Math.floor((available - GAP * (cols - 1)) / cols)));
  const tileH = Math.round((TILE * h) / (w || 1));

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !pseudo || available <= 0) return;
    const prepared = prepareCanvas(canvas, cols * (TILE + GAP) - GAP, rows * (tileH + GAP) - GAP);
    if (!prepared) return;
    prepared.ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (let k = 0; k < shown; k++) drawGrayscale(prepared.ctx, pseudo, w, h, (k % cols) * (TILE + GAP), Math.floor(k / cols) * (tileH + GAP), TILE, 1, { offset: k * w * h, low: TILE_LOW });
  }, [pseudo, shown, cols, rows, TILE, tileH, w, h, available]);

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
      <div ref={measureRef}>{pseudo ? <canvas ref={canvasRef} role="img" aria-label={`${shown} pseudo-inputs of the VampPrior`} className="prior-pseudo" /> : null}</div>
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
