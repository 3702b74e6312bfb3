/**
 * What the decoder makes of the prior: for a 2-D latent space, the decodings of an n×n grid of z at
 * Gaussian quantiles (Kingma & Welling's Figure 4), with the z₁/z₂ values on the axes; otherwise a
 * mosaic of decoded samples z ~ N(0, I) with a Resample button. One canvas, crisp pixels.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { drawGrayscale, prepareCanvas, type Rgb } from '../lib/imageCanvas';
import { formatCoord, latentLabel } from '../lib/projection';
import { Panel } from './Panel';
import './latent.css';
import { useElementWidth } from '../lib/useElementWidth';

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
  /** What the samples are drawn from, when not N(0, I) (a learned prior, one of its components, a class). */
  samplesFrom?: ReactNode;
}

const MAX_SIZE = 520;
/** Width of the 2-D grid's y axis (title, ticks and gap; see latent.css). */
const Y_AXIS_WIDTH = 60;
const TILE_LOW: Rgb = [14, 18, 27];
const NUMBER = new Intl.NumberFormat('en-US');

/** A few evenly spread cell indices to label (always the first, middle and last). */
function tickCells(n: number, room: number): number[] {
  const parts = room < 240 ? 2 : 4;
  return [...new Set(Array.from({ length: parts + 1 }, (_, i) => Math.round(((n - 1) * i) / parts)))];
}

export function DecoderGrid({ images, latentDim, gridSize, values, imageShape, onResample, step, samplesFrom }: DecoderGridProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [measureRef, available] = useElementWidth();

  const { width: w, height: h } = imageShape;
  const pixels = w * h;
  const count = images && pixels > 0 ? Math.floor(images.length / pixels) : 0;
  const n = gridSize;
  const manifold = latentDim === 2 && count === n * n && values.length === n;
  const cols = manifold ? n : count === n * n ? n : Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.max(1, Math.ceil(count / cols));

  // Whole device pixels per cell, so the tiles line up without seams.
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  const gapPx = manifold ? 0 : Math.max(1, Math.round(dpr));
  const room = Math.min(available, MAX_SIZE);
  const cellPx = Math.max(1, Math.floor((room * dpr - gapPx * (cols - 1)) / cols));
  const cellHPx = Math.max(1, Math.round((cellPx * h) / w));
  const cellCss = cellPx / dpr;
  const mosaicW = (cellPx * cols + gapPx * (cols - 1)) / dpr;
  const mosaicH = (cellHPx * rows + gapPx * (rows - 1)) / dpr;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !images || available <= 0 || count === 0) return;
    const prepared = prepareCanvas(canvas, mosaicW, mosaicH);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (let k = 0; k < count; k++) {
      const r = Math.floor(k / cols);
      const c = k % cols;
      drawGrayscale(ctx, images, w, h, c * (cellPx + gapPx), r * (cellHPx + gapPx), cellPx, 1, { offset: k * pixels, low: TILE_LOW });
    }
  }, [images, available, count, cols, cellPx, cellHPx, gapPx, w, h, pixels, mosaicW, mosaicH]);

  const ticks = manifold ? tickCells(n, mosaicW) : [];
  const tools =
    latentDim !== 2 || samplesFrom ? (
      <button type="button" onClick={onResample} disabled={!images} title="Decode a fresh set of samples from the prior">
        Resample
      </button>
    ) : null;

  const stepText =
    step !== null ? (
      <>
        {' '}
        Decoded at step <b>{NUMBER.format(step)}</b>.
      </>
    ) : null;
  const caption = samplesFrom ? (
    <>
      What the decoder makes of points drawn from {samplesFrom}: the mean images of {count > 0 ? count : n * n} samples in {latentDim} dimension
      {latentDim === 1 ? '' : 's'}.{stepText}
    </>
  ) : latentDim === 2 ? (
      <>
        What the decoder p(x|z) makes of points drawn from the prior p(z) = N(0, I): its mean image for each z on a {n}×{n} grid at the prior&rsquo;s
        quantiles (equal prior mass per cell), the same z₁, z₂ as the latent space.{stepText}
      </>
    ) : (
      <>
        What the decoder p(x|z) makes of points drawn from the prior p(z) = N(0, I): the mean images of {count > 0 ? count : n * n} samples z ~ N(0, I)
        in {latentDim} dimensions.{stepText}
      </>
    );

  return (
    <Panel title="Decoder grid" className="decoder-panel" caption={caption} tools={tools}>
      <div className={`decoder-grid${manifold ? '' : ' samples'}`} style={{ maxWidth: manifold ? MAX_SIZE + Y_AXIS_WIDTH : MAX_SIZE }}>
        {manifold ? (
          <div className="decoder-yaxis" aria-hidden="true">
            <span className="decoder-yaxis-title">{latentLabel(1)}</span>
            <div className="decoder-yticks" style={{ height: mosaicH }}>
              {ticks.map((r) => (
                <span key={r} className="decoder-tick" style={{ top: ((r + 0.5) * cellHPx) / dpr }}>
                  {formatCoord(values[n - 1 - r])}
                </span>
              ))}
            </div>
          </div>
        ) : null}
        <div className="decoder-measure" ref={measureRef}>
          {images && count > 0 ? (
            <div className="decoder-mosaic" style={{ width: mosaicW, height: mosaicH }}>
              <canvas
                ref={canvasRef}
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
          <div className="decoder-xaxis" aria-hidden="true" style={{ width: mosaicW }}>
            <div className="decoder-xticks">
              {ticks.map((c) => (
                <span key={c} className="decoder-tick" style={{ left: (c + 0.5) * cellCss }}>
                  {formatCoord(values[c])}
                </span>
              ))}
            </div>
            <div className="decoder-xaxis-title">{latentLabel(0)}</div>
          </div>
        ) : null}
      </div>
    </Panel>
  );
}
