/**
 * The one axis of the page's charts: a d3 scale turned into SVG tick marks, tick labels and,
 * optionally, the axis line and grid lines across the plot. drawAxis does the drawing (d3-axis
 * into a <g>), so a canvas view can call it on every animation frame; <Axis> is the same thing
 * for charts that React renders. Looks come from the chart's CSS, not from d3's defaults.
 */
import { useLayoutEffect, useRef } from 'react';
import { axisBottom, axisLeft, axisRight, axisTop, select, type AxisDomain, type AxisScale } from 'd3';

export type AxisOrient = 'top' | 'right' | 'bottom' | 'left';

export interface AxisSpec<D extends AxisDomain> {
  orient: AxisOrient;
  scale: AxisScale<D>;
  /** The tick values, or about how many round values d3 should pick. */
  ticks?: readonly D[] | number;
  format?: (value: D, index: number) => string;
  /** Length of the tick marks, px (0: labels only). */
  tickSize?: number;
  /** Gap between a tick mark (or the axis) and its label, px. */
  tickPadding?: number;
  /** Draw the axis line. */
  domain?: boolean;
  /** Grid lines from each tick across the plot, this long (they replace the tick marks). */
  grid?: number;
  /** An extra class for a tick (e.g. the zero line). */
  tickClass?: (value: D) => string | null;
}

const MAKERS = { top: axisTop, right: axisRight, bottom: axisBottom, left: axisLeft } as const;

export function drawAxis<D extends AxisDomain>(g: SVGGElement, spec: AxisSpec<D>): void {
  const { orient, scale, ticks, format, tickSize = 0, tickPadding = 3, domain = false, grid, tickClass } = spec;
  const axis = MAKERS[orient](scale)
    .tickSizeOuter(0)
    .tickSizeInner(grid !== undefined ? -grid : tickSize)
    .tickPadding(tickPadding);
  if (typeof ticks === 'number') axis.tickValues(null).ticks(ticks);
  else if (ticks) axis.tickValues(ticks as D[]);
  if (format) axis.tickFormat(format);
  const root = select(g);
  root.call(axis);
  // d3's presentational defaults would override the page's font.
  g.removeAttribute('font-size');
  g.removeAttribute('font-family');
  if (!domain) root.select('.domain').remove();
  if (tickClass) root.selectAll<SVGGElement, D>('.tick').attr('class', (d) => (tickClass(d) ? `tick ${tickClass(d)}` : 'tick'));
}

export function Axis<D extends AxisDomain>({ className, transform, ...spec }: AxisSpec<D> & { className?: string; transform?: string }) {
  const ref = useRef<SVGGElement>(null);
  const { orient, scale, ticks, format, tickSize, tickPadding, domain, grid, tickClass } = spec;
  useLayoutEffect(() => {
    if (ref.current) drawAxis(ref.current, { orient, scale, ticks, format, tickSize, tickPadding, domain, grid, tickClass });
  }, [orient, scale, ticks, format, tickSize, tickPadding, domain, grid, tickClass]);
  return <g ref={ref} className={className} transform={transform} aria-hidden="true" />;
}
