/**
 * The scatter's SVG overlay, drawn imperatively so it can follow the glide frame by frame: the
 * axes (the shared d3 axis), the prior's 1σ and 2σ circles around the origin, the hovered dot's
 * ring and 1σ posterior ellipse, the tooltip's place beside it, and the probe's position.
 */
import { drawAxis } from '../../../charts/Axis';
import { clampInto, placeBeside } from '../../../charts/tooltipPlacement';
import type { ProjectionAxes } from '../../../../core/analysis/projection';
import { drawPriorComponents, type PriorComponentsView } from './priorComponents';
import { MARGIN, tickCount, type PlotSize, type ViewScales } from './viewport';

export interface OverlayElements {
  xAxis: SVGGElement;
  yAxis: SVGGElement;
  prior: SVGGElement;
  /** Where a learned prior's components are drawn (absent: none). */
  components?: SVGGElement;
  hover: SVGGElement;
  probe: SVGGElement;
  tooltip: HTMLDivElement;
}

/** The hovered dot as drawn: where it is shown (latent units), its posterior's 1σ ellipse (latent units, radians), its colour. */
export interface HoverMark {
  xy: readonly [number, number];
  ellipse: { rx: number; ry: number; angle: number };
  color: string;
}

export interface OverlayState {
  /** The projection of z = 0 (the prior's centre). */
  origin: readonly [number, number];
  probeXY: readonly [number, number];
  hover: HoverMark | null;
  /** Dot radius, px (the hover ring is a little larger). */
  dotRadius: number;
  /** A learned prior's components and the projection they are seen in. */
  components?: PriorComponentsView | null;
  projection?: ProjectionAxes;
}

/** The tooltip keeps this far from the dot, plus up to 70 px of the ellipse's reach. */
const TIP_GAP = 12;

export class OverlayLayer {
  /** The view the axes and circles were last drawn for. */
  private drawnView = '';

  constructor(private readonly els: OverlayElements) {}

  redraw(size: PlotSize, scales: ViewScales, viewRadius: number, state: OverlayState): void {
    if (size.width <= 0) return;
    const unit = scales.x(1) - scales.x(0);
    // Axes and prior circles only change with the view (size, domain, origin).
    const view = `${size.plotW},${size.plotH},${viewRadius},${state.origin[0]},${state.origin[1]}`;
    if (view !== this.drawnView || !this.els.xAxis.firstChild) {
      this.drawnView = view;
      this.axes(size, scales, unit, state.origin);
    }
    if (this.els.components && state.projection) drawPriorComponents(this.els.components, state.components ?? null, state.projection, scales, unit);
    this.hover(size, scales, unit, state);
    this.probe(size, scales, state.probeXY);
  }

  private axes(size: PlotSize, { x, y }: ViewScales, unit: number, origin: readonly [number, number]): void {
    const { xAxis, yAxis, prior } = this.els;
    xAxis.setAttribute('transform', `translate(0,${size.plotH})`);
    drawAxis(xAxis, { orient: 'bottom', scale: x, ticks: tickCount(size.plotW), tickSize: 5, tickPadding: 4, domain: true });
    drawAxis(yAxis, { orient: 'left', scale: y, ticks: tickCount(size.plotH), tickSize: 5, tickPadding: 4, domain: true });
    prior.setAttribute('transform', `translate(${x(origin[0])},${y(origin[1])})`);
    prior.querySelectorAll('circle').forEach((circle, i) => circle.setAttribute('r', String(((i % 2) + 1) * unit)));
  }

  private hover(size: PlotSize, { x, y }: ViewScales, unit: number, { hover, dotRadius }: OverlayState): void {
    const { hover: g, tooltip } = this.els;
    if (!hover) {
      g.setAttribute('visibility', 'hidden');
      tooltip.style.visibility = 'hidden';
      return;
    }
    const px = x(hover.xy[0]);
    const py = y(hover.xy[1]);
    const { rx, ry, angle } = hover.ellipse;
    g.setAttribute('visibility', 'visible');
    g.setAttribute('transform', `translate(${px},${py})`);
    g.querySelector('circle')?.setAttribute('r', String(dotRadius + 3));
    const ellipse = g.querySelector('ellipse');
    if (ellipse) {
      // a blown-up model's σ can overflow to Infinity: an SVG length must stay a finite number
      ellipse.setAttribute('rx', String(Math.min(1e6, Math.max(0.5, rx * unit) || 0.5)));
      ellipse.setAttribute('ry', String(Math.min(1e6, Math.max(0.5, ry * unit) || 0.5)));
      ellipse.setAttribute('transform', `rotate(${Number.isFinite(angle) ? (-angle * 180) / Math.PI : 0})`);
      ellipse.setAttribute('stroke', hover.color);
      ellipse.setAttribute('fill', hover.color);
    }
    // Beside the ellipse rather than over it (up to a point).
    const reach = Math.hypot(rx * Math.cos(angle), ry * Math.sin(angle)) * unit;
    const ax = MARGIN.left + px;
    const ay = MARGIN.top + py;
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    tooltip.style.left = `${placeBeside(ax, tw, size.width, TIP_GAP + Math.min(70, reach))}px`;
    tooltip.style.top = `${clampInto(ay - th / 2, th, size.height)}px`;
    tooltip.style.visibility = 'visible';
  }

  private probe(size: PlotSize, { x, y }: ViewScales, [px, py]: readonly [number, number]): void {
    const cx = Math.max(0, Math.min(size.plotW, x(px)));
    const cy = Math.max(0, Math.min(size.plotH, y(py)));
    this.els.probe.setAttribute('transform', `translate(${cx},${cy})`);
  }
}
