/**
 * Latent traversals (Higgins et al.'s β-VAE figures): one row per latent dimension, ordered by its
 * KL, showing the decoder's mean image as that dimension sweeps −3…3 with the others held at the
 * probe. Collapsed dimensions (KL ≈ 0: posterior = prior) are dimmed: their row shows the same
 * image across. One canvas, crisp pixels, white on dark like the decoder grid.
 */
import { useMemo } from 'react';
import { scaleBand } from 'd3';
import type { Traversal } from '../../../state/appState';
import { Axis } from '../../charts/Axis';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { devicePx, mosaicLayout, sequentialTiles, tileBox, TILE_HIGH, type Rgb } from '../../charts/mosaic';
import { Panel } from '../../components/Panel';
import { formatCount, formatKlRow, formatNatsFixed, formatSweepValue, latentLabel } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './lab.css';

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
/** Collapsed rows: the same mapping, dimmed. */
const TILE_HIGH_COLLAPSED: Rgb = [86, 93, 108];
/** Height of the swept values' axis above the tiles. */
const HEAD_H = 16;

export function Traversals({ traversal, klPerDim, imageShape, latentDim, collapsedBelow = 0.01 }: TraversalsProps) {
  const [setMeasure, available] = useElementWidth();

  const pixels = imageShape.width * imageShape.height;
  const rows = traversal?.dims.length ?? 0;
  const cols = traversal?.values.length ?? 0;
  const ready = !!traversal && rows > 0 && cols > 0 && pixels > 0 && traversal.images.length >= rows * cols * pixels;
  const kl = klPerDim && klPerDim.length === latentDim ? klPerDim : null;
  const collapsed = (d: number) => (kl ? kl[d] < collapsedBelow : false);

  // Whole device pixels per cell, 1 px between columns and 3 px between rows.
  const layout = useMemo(
    () =>
      mosaicLayout({
        rows,
        cols,
        image: imageShape,
        room: Math.min(available, MAX_CELL * Math.max(1, cols) + (cols - 1)),
        gapX: devicePx(1, 1),
        gapY: devicePx(3, 2),
      }),
    [rows, cols, imageShape, available],
  );
  const tiles = useMemo(() => sequentialTiles(rows * cols), [rows, cols]);
  const collapsedKey = traversal ? traversal.dims.map((d) => (collapsed(d) ? 1 : 0)).join('') : '';
  const rowHigh = useMemo(() => Array.from(collapsedKey, (c) => (c === '1' ? TILE_HIGH_COLLAPSED : TILE_HIGH)), [collapsedKey]);
  const columns = useMemo(() => scaleBand(Array.from({ length: cols }, (_, c) => c), [0, layout.width]).paddingInner(layout.gapX / (layout.cellW + layout.gapX)), [cols, layout]);

  // Narrow mosaics label every other column (always the ends and the middle).
  const labelEvery = layout.cellW / layout.dpr < 34 ? 2 : 1;
  const headTicks = useMemo(() => columns.domain().filter((c) => c % labelEvery === 0 || c === cols - 1), [columns, labelEvery, cols]);
  const values = traversal?.values;
  const formatHead = useMemo(() => (c: number) => formatSweepValue(values?.[c] ?? 0), [values]);
  const zeroClass = useMemo(() => (c: number) => (values?.[c] === 0 ? 'zero' : null), [values]);
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
          Decoded at step <b>{formatCount(traversal.step)}</b>
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
          <svg className="trav-head" aria-hidden="true" width={layout.width} height={HEAD_H}>
            <Axis orient="top" scale={columns} ticks={headTicks} format={formatHead} tickClass={zeroClass} tickPadding={4} transform={`translate(0,${HEAD_H})`} />
          </svg>
          <ol className="trav-labels" style={{ height: layout.height }} aria-label="Rows, by KL">
            {traversal.dims.map((d, r) => {
              const isCollapsed = collapsed(d);
              return (
                <li
                  key={d}
                  className={`trav-label${isCollapsed ? ' collapsed' : ''}`}
                  style={{ top: tileBox(layout, r, 0).y, height: layout.cellH / layout.dpr }}
                  title={kl ? `${latentLabel(d)}: KL ${formatNatsFixed(kl[d], 3)} nats${isCollapsed ? ' (collapsed: posterior = prior)' : ''}` : latentLabel(d)}
                >
                  <span className="trav-dim">{latentLabel(d)}</span>
                  {kl ? isCollapsed ? <span className="trav-tag">collapsed</span> : <span className="trav-kl num">{formatKlRow(kl[d])}</span> : null}
                </li>
              );
            })}
          </ol>
          <div className="trav-measure" ref={setMeasure}>
            <ImageMosaic
              className="trav-canvas"
              images={traversal.images}
              image={imageShape}
              layout={layout}
              tiles={tiles}
              rowHigh={rowHigh}
              role="img"
              aria-label={`Decoded images as each of ${traversal.dims.map(latentLabel).join(', ')} sweeps from ${formatSweepValue(first ?? -3)} to ${formatSweepValue(last ?? 3)}`}
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
