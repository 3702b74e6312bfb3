/**
 * The loss curves as a downloadable picture: every declared term and the −ELBO over the steps,
 * training (solid) and test (dashed, with dots), the run's markers (β changes, resets,
 * divergences) as dotted verticals. Drawn from the history, not from the panel's DOM, so it is
 * the same whatever the panel shows.
 */
import { NEGATIVE_ELBO_ID, type LossTermSpec } from '../../core/objective/terms';
import type { HistoryPoint, LossHistory } from '../../state/history';
import { NEGATIVE_ELBO_COLOR, termColors } from '../charts/termColors';
import { clipToPlot, drawFrame, resolveColor, type LegendItem } from './plot';

export interface LossFigureInput {
  history: LossHistory;
  terms: readonly LossTermSpec[];
  title: string;
  width?: number;
  height?: number;
}

function extent(points: readonly HistoryPoint[], ids: readonly string[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    for (const id of ids) {
      const v = p.values[id];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return lo <= hi ? [Math.min(0, lo), hi] : [0, 1];
}

export function drawLossFigure(ctx: CanvasRenderingContext2D, input: LossFigureInput): void {
  const { history, terms } = input;
  const width = input.width ?? 1200;
  const height = input.height ?? 640;
  const ids = [...terms.map((t) => t.id), NEGATIVE_ELBO_ID];
  const colors = [...termColors(terms), NEGATIVE_ELBO_COLOR].map(resolveColor);
  const labels = [...terms.map((t) => t.label), '−ELBO'];
  const all = [...history.train, ...history.test];
  const steps = all.map((p) => p.step);
  const legend: LegendItem[] = ids.flatMap((_, i) => [
    { label: `${labels[i]} (training)`, color: colors[i] },
    ...(history.test.length ? [{ label: `${labels[i]} (test)`, color: colors[i], dash: [6, 4] }] : []),
  ]);
  const f = drawFrame(ctx, {
    width,
    height,
    title: input.title,
    subtitle: 'nats per example: each term summed over pixels or latent dimensions, averaged over the batch (training) or the test set',
    xDomain: steps.length ? [Math.min(...steps), Math.max(...steps, Math.min(...steps) + 1)] : [0, 1],
    yDomain: extent(all, ids),
    xLabel: 'step',
    yLabel: 'nats per example',
    legend,
  });
  ctx.save();
  clipToPlot(ctx, f);
  for (const m of history.markers) {
    ctx.strokeStyle = '#8a93a3';
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(f.x(m.step), f.top);
    ctx.lineTo(f.x(m.step), f.top + f.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#5b6475';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(m.label, f.x(m.step) + 3, f.top + 12);
  }
  const line = (points: readonly HistoryPoint[], id: string, color: string, dashed: boolean) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = dashed ? 1.8 : 1.6;
    ctx.setLineDash(dashed ? [6, 4] : []);
    ctx.beginPath();
    let pen = false;
    for (const p of points) {
      const v = p.values[id];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(f.x(p.step), f.y(v));
      else ctx.moveTo(f.x(p.step), f.y(v));
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (dashed) {
      ctx.fillStyle = color;
      for (const p of points) {
        if (!Number.isFinite(p.values[id])) continue;
        ctx.beginPath();
        ctx.arc(f.x(p.step), f.y(p.values[id]), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  };
  ids.forEach((id, i) => {
    line(history.train, id, colors[i], false);
    line(history.test, id, colors[i], true);
  });
  ctx.restore();
}
