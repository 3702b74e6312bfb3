/**
 * The latent scatter's drawing and interaction, outside React: the panel hands it the latest model
 * from one layout effect (update), and it decides what to redraw — the canvas when the dots, their
 * colours or the size change, the overlay every time — runs the glide between snapshots on
 * animation frames, answers hit tests and moves the probe under the pointer and keys, reporting
 * back through the model's callbacks.
 */
import { liftProbe, posteriorEllipse, projectPoint, type ProjectionAxes } from '../../../../core/analysis/projection';
import type { DrawGroup } from './drawOrder';
import { Glide } from './Glide';
import { OverlayLayer, type HoverMark, type OverlayElements } from './OverlayLayer';
import { PointFinder } from './PointFinder';
import { PointsLayer, type PointsStyle } from './PointsLayer';
import { ProbePointer, type PointerHost } from './ProbePointer';
import { overlayEndAt, overlayEndPoint, paintLatentOverlay } from './ToolsLayer';
import type { LatentOverlay } from '../../../../state/analysis/state';
import { viewScales, type PlotSize, type ViewScales } from './viewport';
import type { PriorComponentsView } from './priorComponents';

export interface ScatterElements extends OverlayElements {
  canvas: HTMLCanvasElement;
  svg: SVGSVGElement;
  /** The tools' marks (ToolsLayer.ts). */
  tools: SVGGElement;
}

export interface ScatterModel {
  size: PlotSize;
  /** Where the dots go: the projected means, row-major [count, 2], latent units. */
  positions: Float32Array;
  /** Test-set index of each dot (to glide a dot from its own old position). */
  indices: Int32Array;
  dim: number;
  /** Names the projection; a new one refits the view. */
  axesKey: string;
  projection: ProjectionAxes;
  /** The posteriors' log-variances, row-major [count, dim] (the hover ellipse). */
  logVar: Float32Array;
  /** Each dot's colour key and the colour of a key. */
  keys: ArrayLike<number>;
  colorOf(key: number): string;
  groups: readonly DrawGroup[];
  highlight: number | null;
  dotRadius: number;
  lattice: readonly number[] | null;
  /** The projection of z = 0. */
  origin: [number, number];
  /** The probe's full latent vector. */
  probe: readonly number[];
  hover: number | null;
  onProbeChange(z: number[]): void;
  onPickPoint?(point: number): void;
  onHover(point: number | null): void;
  /** A learned prior's components (ellipses instead of N(0, I)'s circles), or null. */
  priorComponents?: PriorComponentsView | null;
  /** The tools' marks over the dots, and the drag of the interpolation path's ends. */
  overlay: LatentOverlay | null;
  onOverlayEndMove?(end: 0 | 1, z: number[]): void;
}

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export class ScatterView {
  private readonly points: PointsLayer;
  private readonly overlay: OverlayLayer;
  private readonly pointer: ProbePointer;
  private readonly glide = new Glide();
  private readonly finder = new PointFinder();
  private readonly tools: SVGGElement;
  private model: ScatterModel | null = null;
  /** The probe as shown (ahead of the model while dragging). */
  private probe: number[] = [];
  private probeXY: [number, number] = [0, 0];
  private raf = 0;

  constructor(els: ScatterElements) {
    this.points = new PointsLayer(els.canvas);
    this.overlay = new OverlayLayer(els);
    this.tools = els.tools;
    this.pointer = new ProbePointer(els.svg, els.probe, this.host());
  }

  update(next: ScatterModel): void {
    const prev = this.model;
    this.model = next;
    let repaint =
      !prev ||
      prev.size.width !== next.size.width ||
      prev.size.height !== next.size.height ||
      prev.groups !== next.groups ||
      prev.colorOf !== next.colorOf ||
      prev.highlight !== next.highlight ||
      prev.dotRadius !== next.dotRadius ||
      prev.lattice !== next.lattice;
    if (!prev || prev.probe !== next.probe || prev.projection !== next.projection || prev.dim !== next.dim) {
      this.probe = Array.from({ length: next.dim }, (_, i) => next.probe[i] ?? 0);
      this.probeXY = projectPoint(this.probe, next.projection);
    }
    if (!prev || prev.positions !== next.positions) {
      this.stop();
      if (this.glide.retarget(next.positions, next.indices, next.dim, next.axesKey, performance.now(), !reducedMotion())) this.raf = requestAnimationFrame(this.tick);
      repaint = true;
    }
    if (repaint) {
      this.finder.invalidate();
      this.paintPoints();
    }
    this.paintOverlay();
  }

  destroy(): void {
    this.stop();
    this.pointer.destroy();
  }

  private stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private readonly tick = (now: number): void => {
    const going = this.glide.step(now);
    this.paintPoints();
    this.paintOverlay();
    if (going) {
      this.raf = requestAnimationFrame(this.tick);
      return;
    }
    this.raf = 0;
    this.finder.invalidate();
    // The dots moved under a resting pointer: look again.
    const at = this.pointer.restingAt;
    if (at) this.reportHover(this.findPoint(at.px, at.py));
  };

  private scales(): ViewScales {
    return viewScales(this.model!.size, this.glide.radius);
  }

  private paintPoints(): void {
    const m = this.model;
    const display = this.glide.display;
    if (!m || !display) return;
    const style: PointsStyle = { groups: m.groups, colorOf: m.colorOf, highlight: m.highlight, radius: m.dotRadius, lattice: m.lattice };
    this.points.redraw(m.size, this.scales(), display, style);
  }

  private paintOverlay(): void {
    const m = this.model;
    if (!m) return;
    const scales = this.scales();
    this.overlay.redraw(m.size, scales, this.glide.radius, { origin: m.origin, probeXY: this.probeXY, hover: this.hoverMark(m), dotRadius: m.dotRadius, components: m.priorComponents ?? null, projection: m.projection });
    if (m.size.width > 0) paintLatentOverlay(this.tools, m.overlay, { ...scales, unit: scales.x(1) - scales.x(0), proj: m.projection, plotW: m.size.plotW, plotH: m.size.plotH }, m.dim);
  }

  private hoverMark(m: ScatterModel): HoverMark | null {
    const k = m.hover;
    const display = this.glide.display;
    if (k === null || !display || k >= display.length / 2) return null;
    return {
      xy: [display[2 * k], display[2 * k + 1]],
      ellipse: posteriorEllipse(m.logVar.subarray(k * m.dim, (k + 1) * m.dim), m.projection),
      color: m.colorOf(m.keys[k]),
    };
  }

  /** The dot under plot pixel (px, py); while the dots glide, whatever was hovered. */
  private findPoint(px: number, py: number): number | null {
    const display = this.glide.display;
    const m = this.model;
    if (!m || !display || this.glide.moving) return m?.hover ?? null;
    return this.finder.find(display, this.scales(), px, py);
  }

  private reportHover(point: number | null): void {
    if (this.model && point !== this.model.hover) this.model.onHover(point);
  }

  private setProbe(xy: [number, number]): void {
    const m = this.model;
    if (!m) return;
    this.probe = liftProbe(xy, this.probe, m.projection);
    this.probeXY = xy;
    this.paintOverlay();
    m.onProbeChange(this.probe);
  }

  private host(): PointerHost {
    return {
      plotSize: () => this.model?.size ?? { plotW: 0, plotH: 0 },
      findPoint: (px, py) => this.findPoint(px, py),
      probePixel: () => {
        const { x, y } = this.scales();
        return [x(this.probeXY[0]), y(this.probeXY[1])];
      },
      moveProbeTo: (px, py) => {
        const { plotW, plotH } = this.model!.size;
        const { x, y } = this.scales();
        this.setProbe([x.invert(Math.max(0, Math.min(plotW, px))), y.invert(Math.max(0, Math.min(plotH, py)))]);
      },
      nudgeProbe: (dx, dy) => {
        const { x, y } = this.scales();
        const [xMin, xMax] = x.domain();
        const [yMin, yMax] = y.domain();
        this.setProbe([round6(Math.max(xMin, Math.min(xMax, this.probeXY[0] + dx))), round6(Math.max(yMin, Math.min(yMax, this.probeXY[1] + dy)))]);
      },
      endAt: (target) => (this.model?.onOverlayEndMove ? overlayEndAt(target) : null),
      endPixel: (end) => {
        const m = this.model;
        const z = m ? overlayEndPoint(m.overlay, end, m.dim) : null;
        if (!m || !z) return null;
        const { x, y } = this.scales();
        const [ex, ey] = projectPoint(z, m.projection);
        return [x(ex), y(ey)];
      },
      moveEndTo: (end, px, py) => {
        const m = this.model;
        const base = m ? overlayEndPoint(m.overlay, end, m.dim) : null;
        if (!m || !base) return;
        const { plotW, plotH } = m.size;
        const { x, y } = this.scales();
        const xy: [number, number] = [x.invert(Math.max(0, Math.min(plotW, px))), y.invert(Math.max(0, Math.min(plotH, py)))];
        m.onOverlayEndMove?.(end, liftProbe(xy, base, m.projection));
      },
      canPick: () => !!this.model?.onPickPoint,
      pick: (point) => this.model?.onPickPoint?.(point),
      hover: (point) => this.reportHover(point),
    };
  }
}
