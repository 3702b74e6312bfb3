/**
 * The scatter's canvas: a faint grid at the axis ticks (stronger through 0), the decoder grid's
 * quantile points as small crosses (2-D), and the dots, one path per draw group; with a highlighted
 * key, the other dots fade and the highlighted ones are painted last.
 */
import { prepareCanvas } from '../../../charts/canvas';
import type { DrawGroup } from './drawOrder';
import { MARGIN, tickCount, type PlotSize, type ViewScales } from './viewport';

export interface PointsStyle {
  groups: readonly DrawGroup[];
  colorOf(key: number): string;
  highlight: number | null;
  /** Dot radius, px. */
  radius: number;
  /** The decoder grid's quantile values (drawn as crosses at every pair), or null. */
  lattice: readonly number[] | null;
}

const GRID = 'rgba(29, 35, 48, 0.06)';
const GRID_ZERO = 'rgba(29, 35, 48, 0.16)';
const LATTICE = 'rgba(29, 35, 48, 0.22)';

export class PointsLayer {
  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Paint `positions` (latent units, row-major [count, 2]) in a plot of `size` seen through `scales`. */
  redraw(size: PlotSize, scales: ViewScales, positions: Float32Array, style: PointsStyle): void {
    if (size.width <= 0) return;
    const prepared = prepareCanvas(this.canvas, size.width, size.height);
    if (!prepared) return;
    const { ctx } = prepared;
    ctx.clearRect(0, 0, size.width, size.height);
    ctx.save();
    ctx.translate(MARGIN.left, MARGIN.top);
    ctx.beginPath();
    ctx.rect(0, 0, size.plotW, size.plotH);
    ctx.clip();
    this.grid(ctx, size, scales);
    if (style.lattice) this.lattice(ctx, scales, style.lattice);
    this.dots(ctx, scales, positions, style);
    ctx.restore();
  }

  private grid(ctx: CanvasRenderingContext2D, size: PlotSize, { x, y }: ViewScales): void {
    ctx.lineWidth = 1;
    for (const [ticks, vertical] of [
      [x.ticks(tickCount(size.plotW)), true],
      [y.ticks(tickCount(size.plotH)), false],
    ] as const) {
      for (const t of ticks) {
        const p = Math.round(vertical ? x(t) : y(t)) + 0.5;
        ctx.strokeStyle = t === 0 ? GRID_ZERO : GRID;
        ctx.beginPath();
        if (vertical) {
          ctx.moveTo(p, 0);
          ctx.lineTo(p, size.plotH);
        } else {
          ctx.moveTo(0, p);
          ctx.lineTo(size.plotW, p);
        }
        ctx.stroke();
      }
    }
  }

  private lattice(ctx: CanvasRenderingContext2D, { x, y }: ViewScales, values: readonly number[]): void {
    ctx.strokeStyle = LATTICE;
    ctx.beginPath();
    for (const vx of values) {
      for (const vy of values) {
        const px = x(vx);
        const py = y(vy);
        ctx.moveTo(px - 3, py);
        ctx.lineTo(px + 3, py);
        ctx.moveTo(px, py - 3);
        ctx.lineTo(px, py + 3);
      }
    }
    ctx.stroke();
  }

  private dots(ctx: CanvasRenderingContext2D, { x, y }: ViewScales, pos: Float32Array, { groups, colorOf, highlight, radius: r }: PointsStyle): void {
    const tau = Math.PI * 2;
    // The scales are linear: px = x0 + kx·v, cheaper than calling them per dot.
    const x0 = x(0);
    const kx = x(1) - x0;
    const y0 = y(0);
    const ky = y(1) - y0;
    for (let pass = 0; pass < (highlight === null ? 1 : 2); pass++) {
      for (const g of groups) {
        const lit = g.key === highlight;
        if (highlight !== null && lit !== (pass === 1)) continue;
        ctx.globalAlpha = highlight === null ? 0.75 : lit ? 0.92 : 0.1;
        ctx.fillStyle = colorOf(g.key);
        ctx.beginPath();
        const order = g.order;
        for (let n = 0; n < order.length; n++) {
          const k = order[n];
          const px = x0 + kx * pos[2 * k];
          const py = y0 + ky * pos[2 * k + 1];
          if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
          ctx.moveTo(px + r, py);
          ctx.arc(px, py, r, 0, tau);
        }
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
  }
}
