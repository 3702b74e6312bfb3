/**
 * A snapshot card's traversals: up to five rows (its dimensions by KL) of up to nine decodings as
 * the row's dimension sweeps −3 … 3, small tiles with the swept values on an axis below.
 */
import { useMemo } from 'react';
import { scaleLinear } from 'd3';
import type { Traversal } from '../../../state/appState';
import { Axis } from '../../charts/Axis';
import { ImageMosaic } from '../../charts/ImageMosaic';
import { pickColumns } from '../../charts/miniScatterGeometry';
import { devicePx, mosaicLayout, tileBox, type ImageShape } from '../../charts/mosaic';
import { formatCoord, latentLabel } from '../../format';

export const MAX_TRAVERSAL_ROWS = 5;
const MAX_TRAVERSAL_COLS = 9;
/** Tile width and gap, CSS pixels. */
const TILE = 19;
const TILE_GAP = 1;
/** Height of the value axis (−3 … 3) under the tiles. */
const AXIS_HEIGHT = 16;

/** Height reserved for a traversal block of `rows` rows, so the sections below line up across cards. */
export function traversalHeight(rows: number, tileH = TILE): number {
  return rows * (tileH + TILE_GAP) - TILE_GAP + AXIS_HEIGHT;
}

/** The images' shape: as given when it fits the pixel count, else square, else unknown (0 × 0). */
function shapeOf(traversal: Traversal, given?: ImageShape): ImageShape {
  const cells = traversal.dims.length * traversal.values.length;
  const pixels = cells > 0 ? Math.floor(traversal.images.length / cells) : 0;
  if (given && given.width * given.height === pixels) return given;
  const side = Math.round(Math.sqrt(pixels));
  return side * side === pixels ? { width: side, height: side } : { width: 0, height: 0 };
}

export function TraversalStrip({ traversal, slots, imageShape }: { traversal: Traversal; slots: number; imageShape?: ImageShape }) {
  const { images, dims, values } = traversal;
  const rows = Math.min(MAX_TRAVERSAL_ROWS, dims.length);
  const cols = useMemo(() => pickColumns(values.length, MAX_TRAVERSAL_COLS), [values.length]);
  const shape = useMemo(() => shapeOf(traversal, imageShape), [traversal, imageShape]);
  const ok = shape.width > 0 && rows > 0 && cols.length > 0;
  const layout = useMemo(() => {
    const gap = devicePx(TILE_GAP, 1);
    return mosaicLayout({ rows, cols: cols.length, image: shape, cell: TILE, gapX: gap, gapY: gap });
  }, [rows, cols.length, shape]);
  const tiles = useMemo(() => Int32Array.from({ length: rows * cols.length }, (_, i) => Math.floor(i / cols.length) * values.length + cols[i % cols.length]), [rows, cols, values.length]);
  const first = values[cols[0]];
  const last = values[cols[cols.length - 1]];
  // The swept values at the first and last tiles' centres.
  const sweep = useMemo(() => {
    const a = tileBox(layout, 0, 0);
    const b = tileBox(layout, 0, Math.max(0, cols.length - 1));
    return scaleLinear([first, last], [a.x + a.width / 2, b.x + b.width / 2]);
  }, [layout, cols.length, first, last]);
  const sweepTicks = useMemo(() => (first < 0 && last > 0 ? [first, 0, last] : [first, last]), [first, last]);

  if (!ok) return <div className="snap-placeholder">traversal unavailable</div>;
  const tileH = layout.cellH / layout.dpr;
  const rowNames = dims.slice(0, rows).map((d) => latentLabel(d));
  return (
    <div className="snap-traversal" style={{ height: Math.max(traversalHeight(slots), traversalHeight(rows, tileH)) }}>
      <div className="snap-trav-grid">
        <div className="snap-trav-labels" aria-hidden="true" style={{ gap: TILE_GAP }}>
          {rowNames.map((name) => (
            <span key={name} style={{ height: tileH }}>
              {name}
            </span>
          ))}
        </div>
        <ImageMosaic
          images={images}
          image={shape}
          layout={layout}
          tiles={tiles}
          role="img"
          aria-label={`Decodings as ${rowNames.join(', ')} each sweep from ${formatCoord(first, 0)} to ${formatCoord(last, 0)}`}
        />
      </div>
      <svg className="snap-trav-axis" width={layout.width} height={AXIS_HEIGHT} aria-hidden="true">
        <Axis orient="bottom" scale={sweep} ticks={sweepTicks} format={formatTick} tickPadding={4} />
      </svg>
    </div>
  );
}

function formatTick(v: number): string {
  return formatCoord(v, 0);
}
