/**
 * Latent traversals (Higgins et al.'s β-VAE figures): one row per latent dimension, ordered by its
 * KL, showing the decoder's mean image as that dimension sweeps −3…3 with the others held at the
 * probe. Collapsed dimensions (KL ≈ 0: posterior = prior) are dimmed: their row shows the same
 * image across. One canvas, crisp pixels, white on dark like the decoder grid.
 */
import { useLayoutEffect, useRef } from 'react';
import type { Traversal } from '../../state/appState';
import { drawGrayscale, prepareCanvas, type Rgb } from '../lib/imageCanvas';
import { latentLabel } from '../format';
import { Panel } from './Panel';
import './lab.css';
import { useElementWidth } from '../lib/useElementWidth';

export interface TraversalsProps {
  traversal: Traversal | null;
  /** KL per latent dimension (nats, batch average) from the last training metrics. */
  klPerDim: number[] | null;
  imageShape: { width: number; height: number };
  latentDim: number;
  /** A row whose KL is below this (nats) is marked collapsed. */
  collapsedBelow?: number;
}

/** Width of the row labels' column, px (see lab.css). */
const LABEL_W = 92;
const MAX_CELL = 60;
const TILE_LOW: Rgb = [14, 18, 27];
const TILE_HIGH: Rgb = [255, 255, 255];
/** Collapsed rows: the same mapping, dimmed. */
const TILE_HIGH_COLLAPSED: Rgb = [86, 93, 108];
const NUMBER = new Intl.NumberFormat('en-US');

/** A swept value for a column header: "−2.25", "0", "3". */
function formatValue(v: number): string {
  const s = String(Math.round(v * 100) / 100);
  return s === '-0' ? '0' : s.replace('-', '−');
}

/** A KL for a row label: two decimals under 0.1 nats, one above. */
function formatKl(kl: number): string {
  if (!Number.isFinite(kl)) return '–';
  return kl < 0.1 ? kl.toFixed(2) : kl.toFixed(1);
}

export function Traversals({ traversal, klPerDim, imageShape, latentDim, collapsedBelow = 0.01 }: TraversalsProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [setMeasure, available] = useElementWidth();

  const { width: w, height: h } = imageShape;
  const pixels = w * h;
  const rows = traversal?.dims.length ?? 0;
  const cols = traversal?.values.length ?? 0;
  const ready = !!traversal && rows > 0 && cols > 0 && pixels > 0 && traversal.images.length >= rows * cols * pixels;
  const kl = klPerDim && klPerDim.length === latentDim ? klPerDim : null;
  const collapsed = (d: number) => (kl ? kl[d] < collapsedBelow : false);

  // Whole device pixels per cell, so the tiles line up without seams.
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  const gapX = Math.max(1, Math.round(dpr));
  const gapY = Math.max(2, Math.round(3 * dpr));
  const room = Math.min(available, MAX_CELL * Math.max(1, cols) + (cols - 1));
  const cellPx = Math.max(1, Math.floor((room * dpr - gapX * (cols - 1)) / Math.max(1, cols)));
  const cellHPx = Math.max(1, Math.round((cellPx * h) / Math.max(1, w)));
  const mosaicW = (cellPx * cols + gapX * Math.max(0, cols - 1)) / dpr;
  const mosaicH = (cellHPx * rows + gapY * Math.max(0, rows - 1)) / dpr;
  const rowTop = (r: number) => (r * (cellHPx + gapY)) / dpr;
  const rowH = cellHPx / dpr;
  const colCentre = (c: number) => (c * (cellPx + gapX) + cellPx / 2) / dpr;

  const collapsedKey = traversal ? traversal.dims.map((d) => (collapsed(d) ? 1 : 0)).join('') : '';
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !traversal || !ready || available <= 0) return;
    const prepared = prepareCanvas(canvas, mosaicW, mosaicH);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (let r = 0; r < rows; r++) {
      const high = collapsedKey[r] === '1' ? TILE_HIGH_COLLAPSED : TILE_HIGH;
      for (let c = 0; c < cols; c++) {
        drawGrayscale(ctx, traversal.images, w, h, c * (cellPx + gapX), r * (cellHPx + gapY), cellPx, 1, { offset: (r * cols + c) * pixels, low: TILE_LOW, high });
      }
    }
  }, [traversal, ready, available, rows, cols, cellPx, cellHPx, gapX, gapY, w, h, pixels, mosaicW, mosaicH, collapsedKey]);

  // Narrow mosaics label every other column (always the ends and the middle).
  const labelEvery = cellPx / dpr < 34 ? 2 : 1;
  const collapsedRows = traversal && kl ? traversal.dims.filter((d) => kl[d] < collapsedBelow).length : 0;
  const first = traversal?.values[0];
  const last = traversal?.values[cols - 1];

  const caption = (
    <>
      Each row sweeps one latent dimension from −3 to 3 (the prior&rsquo;s ±3σ) with the others held at the probe; rows ordered by their KL. A
      disentangled model changes one factor per row (position, scale, shape…).
      {ready && traversal ? (
        <>
          {' '}
          Decoded at step <b>{NUMBER.format(traversal.step)}</b>
          {rows < latentDim ? (
            <>
              , the {rows} of {latentDim} dimensions with the most KL
            </>
          ) : null}
          .
          {collapsedRows > 0 ? (
            <>
              {' '}
              <b>{collapsedRows}</b> {collapsedRows === 1 ? 'row is' : 'rows are'} collapsed (KL &lt; {collapsedBelow} nats): the decoder ignores{' '}
              {collapsedRows === 1 ? 'that dimension' : 'those dimensions'}.
            </>
          ) : null}
        </>
      ) : null}
    </>
  );

  return (
    <Panel title="Latent traversals" className="lab-panel trav-panel" caption={caption}>
      {ready && traversal ? (
        <div className="trav" style={{ gridTemplateColumns: `${LABEL_W}px minmax(0, 1fr)` }} data-rows={rows}>
          <div className="trav-corner" aria-hidden="true">
            KL <span>nats</span>
          </div>
          <div className="trav-head" aria-hidden="true" style={{ width: mosaicW }}>
            {traversal.values.map((v, c) =>
              c % labelEvery === 0 || c === cols - 1 ? (
                <span key={c} className={`trav-value${v === 0 ? ' zero' : ''}`} style={{ left: colCentre(c) }}>
                  {formatValue(v)}
                </span>
              ) : null,
            )}
          </div>
          <ol className="trav-labels" style={{ height: mosaicH }} aria-label="Rows, by KL">
            {traversal.dims.map((d, r) => {
              const isCollapsed = collapsed(d);
              return (
                <li
                  key={d}
                  className={`trav-label${isCollapsed ? ' collapsed' : ''}`}
                  style={{ top: rowTop(r), height: rowH }}
                  title={kl ? `${latentLabel(d)}: KL ${kl[d].toFixed(3)} nats${isCollapsed ? ' (collapsed: posterior = prior)' : ''}` : latentLabel(d)}
                >
                  <span className="trav-dim">{latentLabel(d)}</span>
                  {kl ? isCollapsed ? <span className="trav-tag">collapsed</span> : <span className="trav-kl num">{formatKl(kl[d])}</span> : null}
                </li>
              );
            })}
          </ol>
          <div className="trav-measure" ref={setMeasure}>
            <canvas
              ref={canvasRef}
              className="trav-canvas"
              role="img"
              aria-label={`Decoded images as each of ${traversal.dims.map(latentLabel).join(', ')} sweeps from ${formatValue(first ?? -3)} to ${formatValue(last ?? 3)}`}
            />
          </div>
        </div>
      ) : (
        <div className="panel-empty">
          {traversal ? 'Decoding the traversals…' : 'Train the model: each latent dimension’s traversal around the probe will appear here.'}
        </div>
      )}
    </Panel>
  );
}
