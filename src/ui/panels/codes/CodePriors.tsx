/**
 * Samples from priors over code grids, decoded: per-position frequencies (every position drawn on
 * its own: it ignores how positions depend on each other, so strokes do not join up) and a small
 * autoregressive prior (MADE: each position given the ones before it, in raster order) fitted in
 * the worker on training images' code grids. Their −log p of the test grids says which fits better.
 */
import { useMemo } from 'react';
import { FIT_IMAGES, PRIOR_SAMPLE_COUNT, type SampledPrior } from '../../../state/codes/codeTools';
import type { Controller } from '../../../state/controller';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { mosaicLayout } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { useStore } from '../../hooks/useStore';
import './codes.css';

const SIDE = Math.round(Math.sqrt(PRIOR_SAMPLE_COUNT));
const TILES = Int32Array.from({ length: SIDE * SIDE }, (_, i) => i);

const PRIOR_TEXT: Record<SampledPrior, { title: string; note: string }> = {
  independent: {
    title: 'Independent per-position frequencies',
    note: 'Each position drawn on its own from how often each code sits there: it ignores every dependency between positions, so the parts rarely make one digit.',
  },
  autoregressive: {
    title: 'Autoregressive prior (MADE)',
    note: 'Each position drawn given the positions before it (a masked MLP over the grid in raster order), so neighbouring codes fit together.',
  },
};

function PriorSamples({ controller, prior, imageShape }: { controller: Controller; prior: SampledPrior; imageShape: { width: number; height: number } }) {
  const samples = useStore(controller.codes.store, (c) => c.samples[prior]);
  const nll = useStore(controller.codes.store, (c) => c.fit.result?.testNll[prior] ?? null);
  const layout = useMemo(() => mosaicLayout({ rows: SIDE, cols: SIDE, image: imageShape, room: 216, gapX: 2 }), [imageShape]);
  const text = PRIOR_TEXT[prior];
  return (
    <figure className="prior-samples" aria-label={text.title}>
      <figcaption>
        <strong>{text.title}</strong>
        {nll !== null ? <span className="num"> · test grids −log p = {nll.toFixed(1)} nats</span> : null}
      </figcaption>
      <div className="prior-mosaic">
        {samples ? <ImageMosaic images={samples.images} image={imageShape} layout={layout} tiles={TILES} scale={1} role="img" aria-label={`Samples from the ${prior} prior`} /> : <div className="panel-empty">Not fitted yet</div>}
      </div>
      <p className="prior-note">{text.note}</p>
    </figure>
  );
}

export function CodePriors({ controller, imageShape }: { controller: Controller; imageShape: { width: number; height: number } }) {
  const fit = useStore(controller.codes.store, (c) => c.fit);
  const hasModel = useStore(controller.store, (s) => s.model !== null);
  const status =
    fit.status === 'fitting'
      ? `Fitting on ${FIT_IMAGES.toLocaleString()} training images' code grids: ${fit.stage}${fit.total ? ` ${fit.done}/${fit.total}` : ''}`
      : fit.status === 'ready' && fit.result
        ? `Fitted at step ${fit.result.step.toLocaleString()} on ${fit.result.trainImages.toLocaleString()} grids (${fit.result.seconds.toFixed(1)} s); refitted now and then while training.`
        : fit.status === 'failed'
          ? `Fitting failed: ${fit.error}`
          : 'Fitted on their own after a few hundred steps of training, or now with Fit priors.';
  return (
    <Panel
      title="Samples from priors over codes"
      tools={
        <>
          <button type="button" disabled={!hasModel || fit.status === 'fitting'} onClick={() => controller.codes.fitPriors()}>
            Fit priors
          </button>
          <button type="button" disabled={fit.status !== 'ready'} onClick={() => controller.codes.resample()}>
            New samples
          </button>
        </>
      }
      caption="The decoder grid of a discrete latent: code grids drawn from a prior over codes, then decoded. The VQ-VAE trains against a uniform prior (KL = positions · log K); a prior fitted afterwards on the codes is what makes samples look like the data."
    >
      <p className="prior-status" role="status">
        {status}
      </p>
      <div className="prior-pair">
        <PriorSamples controller={controller} prior="independent" imageShape={imageShape} />
        <PriorSamples controller={controller} prior="autoregressive" imageShape={imageShape} />
      </div>
    </Panel>
  );
}
