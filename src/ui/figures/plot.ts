/**
 * The frame of a downloadable figure drawn on a canvas: a white page, a title, a plot area with
 * d3's nice ticks on both axes and axis titles, and a legend row. Shared by the loss chart's and
 * the latent scatter's figures.
 */
import { scaleLinear, type ScaleLinear } from 'd3';

export const FIGURE_FONT = '13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const SMALL_FONT = '11.5px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const INK = '#1d2330';
const SOFT = '#5b6475';
const LINE = '#e2e5eb';

/** A CSS colour (a var(--token), color-mix…) as the page resolves it, for a canvas. */
export function resolveColor(css: string): string {
  if (typeof document === 'undefined' || !/var\(|color-mix/.test(css)) return css;
  const probe = document.createElement('span');
  probe.style.color = css;
  probe.style.display = 'none';
  document.body.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved || css;
}

export interface LegendItem {
  label: string;
  color: string;
  dash?: number[];
  /** A dot instead of a line. */
  dot?: boolean;
}

export interface Frame {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface FrameSpec {
  width: number;
  height: number;
  title: string;
  subtitle?: string;
  xDomain: [number, number];
  yDomain: [number, number];
  xLabel: string;
  yLabel: string;
  legend: LegendItem[];
  /** The same units per pixel on both axes (a latent space). */
  equalAspect?: boolean;
}

/** Clear the page, draw title, legend, grid, ticks and axis titles; returns the plot's scales. */
export function drawFrame(ctx: CanvasRenderingContext2D, spec: FrameSpec): Frame {
  const { width, height } = spec;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = INK;
  ctx.font = `600 ${FIGURE_FONT}`;
  ctx.textBaseline = 'top';
  ctx.fillText(spec.title, 16, 12);
  let top = 34;
  if (spec.subtitle) {
    ctx.font = SMALL_FONT;
    ctx.fillStyle = SOFT;
    ctx.fillText(spec.subtitle, 16, 32);
    top += 16;
  }
  // legend: items left to right, wrapping
  ctx.font = SMALL_FONT;
  let lx = 16;
  let ly = top + 2;
  for (const item of spec.legend) {
    const w = 26 + ctx.measureText(item.label).width + 14;
    if (lx + w > width - 16) {
      lx = 16;
      ly += 18;
    }
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    if (item.dot) {
      ctx.beginPath();
      ctx.arc(lx + 10, ly + 6, 4, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.lineWidth = 2;
      ctx.setLineDash(item.dash ?? []);
      ctx.beginPath();
      ctx.moveTo(lx, ly + 6);
      ctx.lineTo(lx + 20, ly + 6);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = SOFT;
    ctx.fillText(item.label, lx + 26, ly);
    lx += w;
  }
  const left = 64;
  const plotTop = ly + 28;
  const right = 20;
  const bottom = 46;
  let plotW = width - left - right;
  let plotH = height - plotTop - bottom;
  let [x0, x1] = spec.xDomain;
  let [y0, y1] = spec.yDomain;
  if (spec.equalAspect) {
    // widen the narrower domain so one unit is as long on both axes
    const perPx = Math.max((x1 - x0) / plotW, (y1 - y0) / plotH);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    [x0, x1] = [cx - (perPx * plotW) / 2, cx + (perPx * plotW) / 2];
    [y0, y1] = [cy - (perPx * plotH) / 2, cy + (perPx * plotH) / 2];
  }
  plotW = Math.max(10, plotW);
  plotH = Math.max(10, plotH);
  const x = scaleLinear([x0, x1], [left, left + plotW]);
  const y = scaleLinear([y0, y1], [plotTop + plotH, plotTop]);
  if (!spec.equalAspect) {
    x.nice();
    y.nice();
  }
  ctx.font = SMALL_FONT;
  ctx.lineWidth = 1;
  ctx.fillStyle = SOFT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  for (const t of y.ticks(6)) {
    ctx.strokeStyle = LINE;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(y(t)) + 0.5);
    ctx.lineTo(left + plotW, Math.round(y(t)) + 0.5);
    ctx.stroke();
    ctx.fillText(y.tickFormat(6)(t).replace('-', '−'), left - 6, y(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of x.ticks(8)) {
    ctx.strokeStyle = LINE;
    ctx.beginPath();
    ctx.moveTo(Math.round(x(t)) + 0.5, plotTop);
    ctx.lineTo(Math.round(x(t)) + 0.5, plotTop + plotH);
    ctx.stroke();
    ctx.fillText(x.tickFormat(8)(t).replace('-', '−'), x(t), plotTop + plotH + 6);
  }
  ctx.strokeStyle = SOFT;
  ctx.strokeRect(left + 0.5, plotTop + 0.5, plotW, plotH);
  ctx.fillStyle = INK;
  ctx.font = FIGURE_FONT;
  ctx.fillText(spec.xLabel, left + plotW / 2, plotTop + plotH + 24);
  ctx.save();
  ctx.translate(18, plotTop + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(spec.yLabel, 0, 0);
  ctx.restore();
  ctx.textAlign = 'left';
  return { x, y, left, top: plotTop, width: plotW, height: plotH };
}

/** Clip later drawing to the plot area. */
export function clipToPlot(ctx: CanvasRenderingContext2D, f: Frame): void {
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.width, f.height);
  ctx.clip();
}
