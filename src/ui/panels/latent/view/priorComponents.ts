/**
 * A learned prior's components on the scatter: each component's 1σ and 2σ ellipse in the shown
 * projection (the same ellipse as a posterior's), its number at the mean, more opaque for more
 * weight (the heaviest component fully so). Drawn by the overlay, so it follows the glide.
 */
import { select } from 'd3';
import { posteriorEllipse, projectPoint, type ProjectionAxes } from '../../../../core/analysis/projection';
import type { ViewScales } from './viewport';

/** A mixture prior's components as the scatter draws them. */
export interface PriorComponentsView {
  count: number;
  latentDim: number;
  weights: ArrayLike<number>;
  means: ArrayLike<number>;
  logVars: ArrayLike<number>;
}

export function drawPriorComponents(group: SVGGElement, components: PriorComponentsView | null, proj: ProjectionAxes, { x, y }: ViewScales, unit: number): void {
  const items = components
    ? Array.from({ length: components.count }, (_, k) => {
        const d = components.latentDim;
        const mean = Array.from({ length: d }, (_, j) => components.means[k * d + j]);
        const [cx, cy] = projectPoint(mean, proj);
        const e = posteriorEllipse(Array.from({ length: d }, (_, j) => components.logVars[k * d + j]), proj);
        return { k, cx: x(cx), cy: y(cy), e, weight: components.weights[k] };
      })
    : [];
  const heaviest = Math.max(1e-9, ...items.map((c) => c.weight));
  select(group)
    .selectAll<SVGGElement, (typeof items)[number]>('g.prior-component')
    .data(items, (c) => String(c.k))
    .join((enter) => {
      const g = enter.append('g').attr('class', 'prior-component');
      g.append('ellipse').attr('class', 'component-2');
      g.append('ellipse').attr('class', 'component-1');
      g.append('text').attr('class', 'component-label').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    })
    .attr('transform', (c) => `translate(${c.cx},${c.cy})`)
    .attr('opacity', (c) => 0.2 + 0.8 * (c.weight / heaviest))
    .each(function (c) {
      const rotate = `rotate(${(-c.e.angle * 180) / Math.PI})`;
      select(this).select('.component-1').attr('rx', Math.max(0.5, c.e.rx * unit)).attr('ry', Math.max(0.5, c.e.ry * unit)).attr('transform', rotate);
      select(this).select('.component-2').attr('rx', Math.max(0.5, 2 * c.e.rx * unit)).attr('ry', Math.max(0.5, 2 * c.e.ry * unit)).attr('transform', rotate);
      select(this).select('text').text(String(c.k + 1));
    });
}
