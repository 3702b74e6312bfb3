/**
 * Snapshot cards: a run frozen at one step (β = 1, then β = 4, …) shown side by side so runs can
 * be compared: its posterior means on the two most informative dimensions (the same ±4 range on
 * every card), traversals of its top dimensions, its KL per dimension on a shared scale, and its
 * scores. MiniScatter, the small canvas scatter, is shared with the three-way comparison.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { ticks } from 'd3';
import type { LatentSnapshot, Snapshot, Traversal } from '../../state/appState';
import { classColor } from '../lib/colors';
import { drawGrayscale, prepareCanvas, type Rgb } from '../lib/imageCanvas';
import { formatNats } from '../lib/lossScales';
import { drawOrder, mapPoints, pickColumns, pixelsPerUnit, scatterDims, SHARED_RANGE, toPixelX, toPixelY, type MiniFrame } from '../lib/miniScatter';
import { formatCoord, latentLabel } from '../lib/projection';
import { termValue } from '../../core/objective/terms';
import { Panel } from './Panel';
import './compare.css';

export interface SnapshotsProps {
  snapshots: Snapshot[];
  onTake(): void;
  onRemove(id: number): void;
  canTake: boolean;
  classNames: string[];
  /** Shape of the traversal images; inferred as square from the pixel count when absent. */
  imageShape?: { width: number; height: number };
}

/** Inner width of a card and size of its scatter, CSS pixels. */
const CARD_INNER = 204;
const MAX_TRAVERSAL_ROWS = 5;
const MAX_TRAVERSAL_COLS = 9;
const TILE = 19;
const TILE_GAP = 1;
const TILE_LOW: Rgb = [14, 18, 27];
/** Height of the traversal's value axis (−3 … 3) under the mosaic. */
const TRAVERSAL_AXIS = 16;

/** Height reserved for a traversal block of `rows` rows, so the sections below line up across cards. */
function traversalHeight(rows: number, tileH = TILE): number {
  return rows * (tileH + TILE_GAP) - TILE_GAP + TRAVERSAL_AXIS;
}
const NUMBER = new Intl.NumberFormat('en-US');
/** The colour class of a term's figure (the loss chart's colours). */
const TERM_CLASS: Record<string, string | undefined> = { reconstruction: 'recon', kl: 'kl' };

const EMPTY_TEXT =
  'Freeze the current run into a card — train at β = 1, snapshot, set β = 4, train, snapshot — and compare them side by side.';

export function Snapshots({ snapshots, onTake, onRemove, canTake, classNames, imageShape }: SnapshotsProps) {
  // Shared scales, so the cards compare: the KL bars' maximum and the traversal block's height.
  const klMax = useMemo(() => {
    let m = 0;
    for (const s of snapshots) for (const v of s.values?.klPerDim ?? []) if (Number.isFinite(v) && v > m) m = v;
    return m;
  }, [snapshots]);
  const traversalSlots = useMemo(
    () => snapshots.reduce((m, s) => Math.max(m, s.traversal ? Math.min(MAX_TRAVERSAL_ROWS, s.traversal.dims.length) : 0), 0),
    [snapshots],
  );
  const labelsPresent = useMemo(() => {
    const seen = new Set<number>();
    for (const s of snapshots) {
      const { labels, count } = s.latents;
      for (let k = 0; k < count; k++) seen.add(labels[k]);
    }
    return [...seen].sort((a, b) => a - b);
  }, [snapshots]);

  const tools = (
    <button type="button" className="snap-take" onClick={onTake} disabled={!canTake} title={canTake ? 'Freeze the current run into a card' : 'Train a model first: a snapshot needs its latent space'}>
      Take snapshot
    </button>
  );
  const caption = snapshots.length ? (
    <>
      Each card is a run frozen at one step: its test images&rsquo; posterior means on its two highest-KL dimensions, every card on the same ±{SHARED_RANGE}{' '}
      scale with the prior&rsquo;s 1σ and 2σ circles; traversals of its top dimensions (rows by KL, −3 … 3); its KL per dimension on one scale for all
      cards (dark bars: the two on its scatter). At most 6 cards: a seventh replaces the oldest.
    </>
  ) : null;

  return (
    <Panel title="Snapshots" className="snapshots-panel" caption={caption} tools={tools}>
      {snapshots.length === 0 ? (
        <div className="panel-empty snap-empty">
          <p>{EMPTY_TEXT}</p>
        </div>
      ) : (
        <>
          <div className="snap-row">
            {snapshots.map((s) => (
              <SnapshotCard key={s.id} snapshot={s} onRemove={onRemove} klMax={klMax} traversalSlots={traversalSlots} imageShape={imageShape} />
            ))}
          </div>
          {labelsPresent.length > 1 ? <ClassLegend labels={labelsPresent} classNames={classNames} /> : null}
        </>
      )}
    </Panel>
  );
}

function SnapshotCard({
  snapshot,
  onRemove,
  klMax,
  traversalSlots,
  imageShape,
}: {
  snapshot: Snapshot;
  onRemove(id: number): void;
  klMax: number;
  traversalSlots: number;
  imageShape?: { width: number; height: number };
}) {
  const { title, step, latents, traversal, values } = snapshot;
  const klPerDim = useMemo(() => values?.klPerDim ?? [], [values]);
  const dim = latents.latentDim;
  const dims = useMemo(() => scatterDims(dim, klPerDim), [dim, klPerDim]);
  const byKl = dim > 2 && klPerDim.length === dim;
  const scatterLabel =
    `Posterior means of ${NUMBER.format(latents.count)} test images on ${latentLabel(dims[0])}` +
    (dims[1] >= 0 ? ` and ${latentLabel(dims[1])}` : '') +
    (byKl ? ', the two dimensions with the largest KL' : '');

  return (
    <article className="snap-card" aria-label={title}>
      <header className="snap-head">
        <div className="snap-titles">
          <h3 className="snap-title">{title}</h3>
          <span className="snap-step">step {NUMBER.format(step)}</span>
        </div>
        <button type="button" className="snap-remove" aria-label={`Remove snapshot ${title}`} title="Remove this snapshot" onClick={() => onRemove(snapshot.id)}>
          <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
            <path d="M3 3 9 9M9 3 3 9" />
          </svg>
        </button>
      </header>
      <MiniScatter latents={latents} dims={dims} range={SHARED_RANGE} size={CARD_INNER} label={scatterLabel} />
      <div className="snap-note">
        {dims[1] >= 0 ? `${latentLabel(dims[0])} × ${latentLabel(dims[1])}` : latentLabel(dims[0])}
        {byKl ? ` of ${dim}, largest KL` : ''}
      </div>
      {traversalSlots > 0 ? (
        <section className="snap-section" role="group" aria-label="Traversals">
          <h4 className="snap-section-title">Traversals</h4>
          {traversal ? (
            <TraversalMosaic traversal={traversal} slots={traversalSlots} imageShape={imageShape} />
          ) : (
            <div className="snap-placeholder" style={{ height: traversalHeight(traversalSlots) }}>
              no traversal
            </div>
          )}
        </section>
      ) : null}
      <KlBars klPerDim={klPerDim} max={klMax} shown={dims} />
      <dl className="snap-stats">
        <Stat label="−ELBO" value={values?.negativeElbo ?? null} />
        {snapshot.terms.map((t) => (
          <Stat key={t.id} label={t.label === 'Reconstruction' ? 'reconstruction' : t.label} value={values ? termValue(values, t.id) : null} className={TERM_CLASS[t.id]} />
        ))}
        <div>
          <dt>active units</dt>
          <dd>
            {snapshot.activeUnits === null ? '–' : snapshot.activeUnits}
            <span className="snap-of"> / {dim}</span>
          </dd>
        </div>
        {snapshot.mig !== null ? (
          <div>
            <dt title="Mutual information gap (Chen et al. 2018): 0 = entangled, 1 = each factor in one dimension">MIG</dt>
            <dd>{snapshot.mig.toFixed(2)}</dd>
          </div>
        ) : null}
      </dl>
    </article>
  );
}

function Stat({ label, value, className }: { label: string; value: number | null; className?: string }) {
  return (
    <div className={className}>
      <dt>{label}</dt>
      <dd>
        {value === null ? '–' : formatNats(value)}
        {value !== null ? <span className="snap-unit"> nats</span> : null}
      </dd>
    </div>
  );
}

export interface MiniScatterProps {
  latents: LatentSnapshot;
  /** Latent dimensions on x and y (−1: absent, plotted at 0). */
  dims: readonly [number, number];
  /** Half-range of both axes. */
  range: number;
  /** Side of the square, CSS pixels. */
  size: number;
  /** Accessible description of the picture. */
  label: string;
}

const PAD = 6;

/** A small square scatter of posterior means, coloured by class, over the prior's 1σ and 2σ circles. */
export function MiniScatter({ latents, dims, range, size, label }: MiniScatterProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { mu, count, latentDim, labels } = latents;
  const [d0, d1] = dims;
  const frame = useMemo<MiniFrame>(() => ({ size, pad: PAD, range }), [size, range]);
  const order = useMemo(() => drawOrder(labels, count), [labels, count]);
  const mapped = useMemo(() => mapPoints(mu, count, latentDim, [d0, d1], frame), [mu, count, latentDim, d0, d1, frame]);

  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || size <= 0) return;
    const prepared = prepareCanvas(canvas, size, size);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.clearRect(0, 0, size, size);

    // Grid: a few round values, stronger through 0.
    const lo = PAD;
    const hi = size - PAD;
    ctx.lineWidth = 1;
    for (const t of ticks(-range, range, 4)) {
      const px = Math.round(toPixelX(t, frame)) + 0.5;
      const py = Math.round(toPixelY(t, frame)) + 0.5;
      ctx.strokeStyle = t === 0 ? 'rgba(29, 35, 48, 0.14)' : 'rgba(29, 35, 48, 0.05)';
      ctx.beginPath();
      ctx.moveTo(px, lo);
      ctx.lineTo(px, hi);
      ctx.moveTo(lo, py);
      ctx.lineTo(hi, py);
      ctx.stroke();
    }

    // The prior N(0, I): a faint disc out to 2σ, dashed circles at 1σ and 2σ.
    const cx = toPixelX(0, frame);
    const cy = toPixelY(0, frame);
    const unit = pixelsPerUnit(frame);
    if (latentDim >= 2 && d1 >= 0) {
      ctx.fillStyle = 'rgba(79, 107, 237, 0.06)';
      ctx.beginPath();
      ctx.arc(cx, cy, 2 * unit, 0, 2 * Math.PI);
      ctx.fill();
      for (const [sigma, alpha] of [
        [1, 0.42],
        [2, 0.3],
      ] as const) {
        const r = sigma * unit;
        ctx.setLineDash(r > 10 ? [3, 3] : []);
        ctx.strokeStyle = `rgba(29, 35, 48, ${alpha})`;
        ctx.beginPath();
        ctx.arc(cx, cy, Math.max(r, 1.5), 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.setLineDash([]);
    }

    // The points, a path per run of one class.
    const radius = count > 4000 ? 1.1 : count > 1500 ? 1.35 : 1.7;
    const { xy, state } = mapped;
    ctx.globalAlpha = 0.72;
    let current = -1;
    ctx.beginPath();
    for (let o = 0; o < order.length; o++) {
      const k = order[o];
      if (state[k] === 2) continue;
      if (labels[k] !== current) {
        if (current >= 0) ctx.fill();
        current = labels[k];
        ctx.fillStyle = classColor(current);
        ctx.beginPath();
      }
      const x = xy[2 * k];
      const y = xy[2 * k + 1];
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
    if (current >= 0) ctx.fill();
    ctx.globalAlpha = 1;
  }, [size, range, frame, mapped, order, labels, count, latentDim, d1]);

  const xName = latentLabel(d0);
  const yName = d1 >= 0 ? latentLabel(d1) : '';
  const rangeText = `±${formatRange(range)}`;
  return (
    <div className="mini-scatter" style={{ width: size, height: size }}>
      <canvas ref={ref} role="img" aria-label={`${label}, axes ${rangeText}${mapped.clipped ? `; ${mapped.clipped} beyond the range, pinned to the edge` : ''}.`} />
      <span className="mini-axis mini-axis-x" aria-hidden="true">
        {xName}
      </span>
      {yName ? (
        <span className="mini-axis mini-axis-y" aria-hidden="true">
          {yName}
        </span>
      ) : null}
      <span className="mini-range" aria-hidden="true">
        {rangeText}
      </span>
      {mapped.clipped > 0 ? (
        <span className="mini-clipped" aria-hidden="true" title="Points beyond the range are drawn on the edge">
          {NUMBER.format(mapped.clipped)} on edge
        </span>
      ) : null}
    </div>
  );
}

/** A half-range for the corner label: 4, 2.5, 40. */
function formatRange(r: number): string {
  return Number.isInteger(r) ? NUMBER.format(r) : formatCoord(r, r < 10 ? 1 : 0).replace(/\.0$/, '');
}

function TraversalMosaic({ traversal, slots, imageShape }: { traversal: Traversal; slots: number; imageShape?: { width: number; height: number } }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { images, dims, values } = traversal;
  const rows = Math.min(MAX_TRAVERSAL_ROWS, dims.length);
  const cols = pickColumns(values.length, MAX_TRAVERSAL_COLS);
  const cells = dims.length * values.length;
  const pixels = cells > 0 ? Math.floor(images.length / cells) : 0;
  let w = imageShape?.width ?? 0;
  let h = imageShape?.height ?? 0;
  if (w * h !== pixels) {
    const side = Math.round(Math.sqrt(pixels));
    w = h = side * side === pixels ? side : 0;
  }
  const ok = w > 0 && rows > 0 && cols.length > 0;
  const tileH = ok ? Math.round((TILE * h) / w) : TILE;
  const width = cols.length * TILE + (cols.length - 1) * TILE_GAP;
  const height = rows * tileH + (rows - 1) * TILE_GAP;

  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || !ok) return;
    const prepared = prepareCanvas(canvas, width, height);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.clearRect(0, 0, width, height);
    for (let r = 0; r < rows; r++) {
      cols.forEach((c, j) => {
        const cell = r * values.length + c;
        drawGrayscale(ctx, images, w, h, j * (TILE + TILE_GAP), r * (tileH + TILE_GAP), TILE, 1, { offset: cell * pixels, low: TILE_LOW });
      });
    }
  });

  if (!ok) return <div className="snap-placeholder">traversal unavailable</div>;
  const first = values[cols[0]];
  const last = values[cols[cols.length - 1]];
  return (
    <div className="snap-traversal" style={{ height: Math.max(traversalHeight(slots), traversalHeight(rows, tileH)) }}>
      <div className="snap-trav-grid">
        <div className="snap-trav-labels" aria-hidden="true" style={{ gap: TILE_GAP }}>
          {dims.slice(0, rows).map((d) => (
            <span key={d} style={{ height: tileH }}>
              {latentLabel(d)}
            </span>
          ))}
        </div>
        <canvas
          ref={ref}
          role="img"
          aria-label={`Decodings as ${dims
            .slice(0, rows)
            .map((d) => latentLabel(d))
            .join(', ')} each sweep from ${formatCoord(first, 0)} to ${formatCoord(last, 0)}`}
        />
      </div>
      <div className="snap-trav-axis" aria-hidden="true" style={{ width, height: TRAVERSAL_AXIS }}>
        <span>{formatCoord(first, 0)}</span>
        <span>0</span>
        <span>{formatCoord(last, 0)}</span>
      </div>
    </div>
  );
}

/** One bar per latent dimension: its KL in nats, on a scale shared by all cards. */
function KlBars({ klPerDim, max, shown }: { klPerDim: number[]; max: number; shown: readonly [number, number] }) {
  const n = klPerDim.length;
  if (n === 0) return null;
  const W = CARD_INNER;
  const H = 34;
  const gap = n > 24 ? 1 : 2;
  const bw = Math.min(16, (W - gap * (n - 1)) / n);
  const total = n * bw + (n - 1) * gap;
  const x0 = (W - total) / 2;
  const scale = max > 0 ? (H - 2) / max : 0;
  const labelAll = n <= 12;
  const sum = klPerDim.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return (
    <section className="snap-section" role="group" aria-label="KL per dimension">
      <h4 className="snap-section-title">
        KL per dimension <span className="snap-section-note">max {max >= 10 ? Math.round(max) : max.toFixed(1)} nats</span>
      </h4>
      <svg className="snap-kl" width={W} height={H + 12} role="img" aria-label={`KL per dimension, total ${formatNats(sum)} nats: ${klPerDim.map((v, i) => `${latentLabel(i)} ${formatNats(v)}`).join(', ')}`}>
        <line className="snap-kl-base" x1={x0 - 2} x2={x0 + total + 2} y1={H + 0.5} y2={H + 0.5} />
        {klPerDim.map((v, i) => {
          const bh = Number.isFinite(v) ? Math.max(v > 0 ? 1 : 0, v * scale) : 0;
          const x = x0 + i * (bw + gap);
          const on = i === shown[0] || i === shown[1];
          return (
            <g key={i}>
              <title>{`${latentLabel(i)}: ${formatNats(v)} nats`}</title>
              <rect className={on ? 'snap-kl-bar on' : 'snap-kl-bar'} x={x} y={H - bh} width={bw} height={bh} rx={Math.min(2, bw / 3)} />
              {labelAll || on ? (
                <text x={x + bw / 2} y={H + 10} textAnchor="middle" className={on ? 'on' : undefined}>
                  {i + 1}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </section>
  );
}

/** The classes' colours, shared by all the mini scatters of a panel. */
export function ClassLegend({ labels, classNames }: { labels: readonly number[]; classNames: string[] }) {
  return (
    <ul className="mini-legend" aria-label="Classes">
      {labels.map((l) => (
        <li key={l}>
          <span className="mini-swatch" style={{ background: classColor(l) }} />
          {classNames[l] ?? String(l)}
        </li>
      ))}
    </ul>
  );
}
