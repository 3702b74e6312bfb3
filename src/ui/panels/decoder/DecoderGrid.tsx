/**
 * What the decoder makes of the prior: for a 2-D latent space, the decodings of an n×n grid of z at
 * Gaussian quantiles (Kingma & Welling's Figure 4), with the z₁/z₂ values on the axes; otherwise a
 * mosaic of decoded samples z ~ N(0, I) with a Resample button. One canvas, crisp pixels.
 */
import { useMemo, type ReactNode } from 'react';
import { scaleBand } from 'd3';
import { Axis } from '../../charts/Axis';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { devicePx, mosaicLayout, sequentialTiles } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { formatCoord, formatCount, latentLabel } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './decoder.css';

export interface DecoderGridProps {
  /** Decoded mean images, row-major [k, width·height], values 0..1 (k = gridSize² for 2-D). */
  images: Float32Array | null;
  latentDim: number;
  gridSize: number;
  /** The grid's quantile coordinates (2-D): values[c] is z₁ of column c, values[n − 1 − r] is z₂ of row r. */
  values: number[];
  imageShape: { width: number; height: number };
  onResample(): void;
  /** Training step the images were decoded at. */
  step: number | null;
  /** What the samples are drawn from, when not N(0, I) (a learned prior, one of its components). */
  samplesFrom?: ReactNode;
  /** More tools for the title bar (the figure download). */
  extraTools?: ReactNode;
  /** What the decoder is, when it is more than a mean image (the autoregressive decoder's draw, a learned σ). */
  note?: ReactNode;
}

const MAX_SIZE = 520;
/** Width of the 2-D grid's y axis (title, ticks and gap; see decoder.css). */
const Y_AXIS_WIDTH = 60;
/** Width of the y axis' tick labels. */
const Y_TICKS_WIDTH = 34;

/** A few evenly spread cell indices to label (always the first, middle and last). */
function tickCells(n: number, room: number): number[] {
  const parts = room < 240 ? 2 : 4;
  return [...new Set(Array.from({ length: parts + 1 }, (_, i) => Math.round(((n - 1) * i) / parts)))];
}

export function DecoderGrid({ images, latentDim, gridSize, values, imageShape, onResample, step, samplesFrom, extraTools, note }: DecoderGridProps) {
  const [measureRef, available] = useElementWidth();
  const pixels = imageShape.width * imageShape.height;
  const count = images && pixels > 0 ? Math.floor(images.length / pixels) : 0;
  const n = gridSize;
  const manifold = latentDim === 2 && count === n * n && values.length === n;
  const cols = manifold ? n : count === n * n ? n : Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.max(1, Math.ceil(count / cols));
  const room = Math.min(available, MAX_SIZE);

  const layout = useMemo(() => mosaicLayout({ rows, cols, image: imageShape, room, gapX: manifold ? 0 : devicePx(1, 1) }), [rows, cols, imageShape, room, manifold]);
  const tiles = useMemo(() => sequentialTiles(count), [count]);
  const ticks = useMemo(() => (manifold ? tickCells(n, layout.width) : []), [manifold, n, layout.width]);
  const cells = useMemo(() => Array.from({ length: n }, (_, i) => i), [n]);
  const xScale = useMemo(() => scaleBand(cells, [0, layout.width]), [cells, layout.width]);
  const yScale = useMemo(() => scaleBand(cells, [0, layout.height]), [cells, layout.height]);
  const formatColumn = useMemo(() => (c: number) => formatCoord(values[c]), [values]);
  const formatRow = useMemo(() => (r: number) => formatCoord(values[n - 1 - r]), [values, n]);

  const tools = (
    <>
      {latentDim !== 2 || samplesFrom ? (
        <button type="button" onClick={onResample} disabled={!images} title="Decode a fresh set of samples from the prior">
          Resample
        </button>
      ) : null}
      {extraTools}
    </>
  );

  const stepText =
    step !== null ? (
      <>
        {' '}
        Decoded at step <b>{formatCount(step)}</b>.
      </>
    ) : null;
  const caption = samplesFrom ? (
    <>
      What the decoder makes of points drawn from {samplesFrom}: the mean images of {count > 0 ? count : n * n} samples in {latentDim} dimension
      {latentDim === 1 ? '' : 's'}.{stepText}
      {note}
    </>
  ) : latentDim === 2 ? (
      <>
        What the decoder p(x|z) makes of points drawn from the prior p(z) = N(0, I): its mean image for each z on a {n}×{n} grid at the prior&rsquo;s
        quantiles (equal prior mass per cell), the same z₁, z₂ as the latent space.{stepText}
        {note}
      </>
    ) : (
      <>
        What the decoder p(x|z) makes of points drawn from the prior p(z) = N(0, I): the mean images of {count > 0 ? count : n * n} samples z ~ N(0, I)
        in {latentDim} dimensions.{stepText}
        {note}
      </>
    );

  return (
    <Panel title="Decoder grid" className="decoder-panel" caption={caption} tools={tools}>
      <div className={`decoder-grid${manifold ? '' : ' samples'}`} style={{ maxWidth: manifold ? MAX_SIZE + Y_AXIS_WIDTH : MAX_SIZE }}>
        {manifold ? (
          <div className="decoder-yaxis" aria-hidden="true">
            <span className="decoder-yaxis-title">{latentLabel(1)}</span>
            <svg className="decoder-yticks" width={Y_TICKS_WIDTH} height={layout.height}>
              <Axis orient="left" scale={yScale} ticks={ticks} format={formatRow} tickPadding={4} transform={`translate(${Y_TICKS_WIDTH},0)`} />
            </svg>
          </div>
        ) : null}
        <div className="decoder-measure" ref={measureRef}>
          {images && count > 0 && available > 0 ? (
            <div className="decoder-mosaic" style={{ width: layout.width, height: layout.height }}>
              <ImageMosaic
                images={images}
                image={imageShape}
                layout={layout}
                tiles={tiles}
                role="img"
                aria-label={
                  manifold
                    ? `${n} by ${n} decoded images for z₁ and z₂ from ${formatCoord(values[0])} to ${formatCoord(values[n - 1])}`
                    : `${count} decoded samples from the prior`
                }
              />
            </div>
          ) : (
            <div className="panel-empty">{latentDim === 2 ? 'Decoding the quantile grid…' : 'Decoding samples from the prior…'}</div>
          )}
        </div>
        {manifold ? (
          <div className="decoder-xaxis" aria-hidden="true" style={{ width: layout.width }}>
            <svg className="decoder-xticks" width={layout.width} height={16}>
              <Axis orient="bottom" scale={xScale} ticks={ticks} format={formatColumn} tickSize={3} tickPadding={2} />
            </svg>
            <div className="decoder-xaxis-title">{latentLabel(0)}</div>
          </div>
        ) : null}
      </div>
    </Panel>
  );
}
