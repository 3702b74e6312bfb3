/**
 * The latent space as a downloadable picture: the test points' posterior means on the axes the
 * panel shows (two latent dimensions, or the first two principal components), coloured by class,
 * with the prior's 1σ and 2σ circles. Drawn from the data, at print resolution.
 */
import { pca2, project2, type ProjectionAxes } from '../../core/analysis/projection';
import type { LatentSnapshot } from '../../state/latentSnapshot';
import { classColor } from '../charts/colors';
import { clipToPlot, drawFrame, type LegendItem } from './plot';

export interface ScatterFigureInput {
  latents: LatentSnapshot;
  /** Two latent dimensions, or 'pca'. */
  axes: { kind: 'dims'; dims: [number, number] } | { kind: 'pca' };
  classNames: readonly string[];
  title: string;
  size?: number;
}

export function drawScatterFigure(ctx: CanvasRenderingContext2D, input: ScatterFigureInput): void {
  const { latents } = input;
  const { count, latentDim, mu, labels } = latents;
  const size = input.size ?? 900;
  const axes: ProjectionAxes = input.axes.kind === 'pca' && latentDim > 2 ? { kind: 'pca', pca: pca2(mu, count, latentDim) } : { kind: 'dims', dims: input.axes.kind === 'dims' ? input.axes.dims : [0, 1] };
  const xy = project2(mu, count, latentDim, axes);
  let extentAbs = 2.5;
  for (const v of xy) if (Number.isFinite(v)) extentAbs = Math.max(extentAbs, Math.abs(v));
  extentAbs = Math.min(extentAbs * 1.05, 50);
  const present = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const legend: LegendItem[] = present.slice(0, 20).map((c) => ({ label: input.classNames[c] ?? String(c), color: classColor(c), dot: true }));
  const [xl, yl] = axes.kind === 'pca' ? ['PC 1', 'PC 2'] : axes.dims.map((d) => `z${d + 1}`);
  const f = drawFrame(ctx, {
    width: size,
    height: size + 60,
    title: input.title,
    subtitle: `posterior means E[q(z|x)] of ${count.toLocaleString('en-US')} test images at step ${latents.step.toLocaleString('en-US')}; circles: radius 1 and 2 of the prior N(0, I)`,
    xDomain: [-extentAbs, extentAbs],
    yDomain: [-extentAbs, extentAbs],
    xLabel: xl,
    yLabel: yl,
    legend,
    equalAspect: true,
  });
  ctx.save();
  clipToPlot(ctx, f);
  ctx.strokeStyle = '#8a93a3';
  ctx.setLineDash([5, 4]);
  const unit = Math.abs(f.x(1) - f.x(0));
  for (const r of axes.kind === 'dims' ? [1, 2] : []) {
    ctx.beginPath();
    ctx.arc(f.x(0), f.y(0), r * unit, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 0.75;
  for (let k = 0; k < count; k++) {
    const px = xy[2 * k];
    const py = xy[2 * k + 1];
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    ctx.fillStyle = classColor(labels[k]);
    ctx.beginPath();
    ctx.arc(f.x(px), f.y(py), 2.6, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}
