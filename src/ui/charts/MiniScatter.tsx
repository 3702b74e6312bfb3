/**
 * A small square scatter of posterior means on a canvas, coloured by class, over a faint grid and
 * the prior's 1σ and 2σ circles: the snapshot cards' and the three-way comparison's latent space.
 * Geometry (dimensions, range, pixel mapping, draw order) in miniScatterGeometry.ts.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { ticks } from 'd3';
import type { LatentSnapshot } from '../../state/appState';
import { formatCount, formatHalfRange, latentLabel } from '../format';
import { prepareCanvas } from './canvas';
import { classColor } from './colors';
import { drawOrder, mapPoints, pixelsPerUnit, toPixelX, toPixelY, type MappedPoints, type MiniFrame } from './miniScatterGeometry';
import './charts.css';

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

function paint(canvas: HTMLCanvasElement, frame: MiniFrame, latents: LatentSnapshot, mapped: MappedPoints, order: Int32Array, showPrior: boolean): void {
  const { size, range } = frame;
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
  if (showPrior) {
    const cx = toPixelX(0, frame);
    const cy = toPixelY(0, frame);
    const unit = pixelsPerUnit(frame);
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
  const { count, labels } = latents;
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
}

export function MiniScatter({ latents, dims, range, size, label }: MiniScatterProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { mu, count, latentDim, labels } = latents;
  const [d0, d1] = dims;
  const frame = useMemo<MiniFrame>(() => ({ size, pad: PAD, range }), [size, range]);
  const order = useMemo(() => drawOrder(labels, count), [labels, count]);
  const mapped = useMemo(() => mapPoints(mu, count, latentDim, [d0, d1], frame), [mu, count, latentDim, d0, d1, frame]);
  const showPrior = latentDim >= 2 && d1 >= 0;

  useLayoutEffect(() => {
    if (ref.current && size > 0) paint(ref.current, frame, latents, mapped, order, showPrior);
  }, [frame, latents, mapped, order, showPrior, size]);

  const xName = latentLabel(d0);
  const yName = d1 >= 0 ? latentLabel(d1) : '';
  const rangeText = `±${formatHalfRange(range)}`;
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
          {formatCount(mapped.clipped)} on edge
        </span>
      ) : null}
    </div>
  );
}
