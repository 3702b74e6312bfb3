/**
 * The scatter's pointer and keyboard: drag the probe (mouse, pen or touch; a press on the plot
 * moves it there first), Shift-click or double-click a dot to pick it, hover a dot (mouse only),
 * arrow keys on the focused probe (0.1, with Shift 0.5). Listens on the overlay's elements and
 * asks its host what is where; the host moves the probe and reports.
 */
import { MARGIN } from './viewport';

export interface PointerHost {
  /** The plot's size, px. */
  plotSize(): { plotW: number; plotH: number };
  /** The dot at plot pixel (px, py), if any. */
  findPoint(px: number, py: number): number | null;
  /** The probe's position, plot pixels. */
  probePixel(): [number, number];
  /** Put the probe at plot pixel (px, py) (clamped to the plot). */
  moveProbeTo(px: number, py: number): void;
  /** Move the probe by (dx, dy) latent units. */
  nudgeProbe(dx: number, dy: number): void;
  /** The interpolation end (0 or 1) an event's target is on, if any (ToolsLayer). */
  endAt(target: EventTarget | null): 0 | 1 | null;
  /** That end's position, plot pixels (null without a path). */
  endPixel(end: 0 | 1): [number, number] | null;
  /** Drag that end to plot pixel (px, py). */
  moveEndTo(end: 0 | 1, px: number, py: number): void;
  /** Whether a dot can be picked, and pick it. */
  canPick(): boolean;
  pick(point: number): void;
  hover(point: number | null): void;
}

/** The arrow keys' steps in latent units: 0.1, with Shift 0.5; null for other keys. */
export function keyStep(key: string, shift: boolean): [number, number] | null {
  const step = shift ? 0.5 : 0.1;
  switch (key) {
    case 'ArrowLeft':
      return [-step, 0];
    case 'ArrowRight':
      return [step, 0];
    case 'ArrowUp':
      return [0, step];
    case 'ArrowDown':
      return [0, -step];
    default:
      return null;
  }
}

export class ProbePointer {
  /** The pointer dragging the probe (or an interpolation end), and its offset from its centre. */
  private drag: { id: number; dx: number; dy: number; end?: 0 | 1 } | null = null;
  /** Where a resting mouse is, to look again when the dots move under it. */
  private resting: { px: number; py: number } | null = null;
  private readonly off: () => void;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly probe: SVGGElement,
    private readonly host: PointerHost,
  ) {
    const on = <K extends keyof SVGElementEventMap>(el: SVGElement, type: K, fn: (e: SVGElementEventMap[K]) => void) => {
      el.addEventListener(type, fn as EventListener);
      return () => el.removeEventListener(type, fn as EventListener);
    };
    const offs = [
      on(svg, 'pointerdown', (e) => this.down(e)),
      on(svg, 'pointermove', (e) => this.move(e)),
      on(svg, 'pointerup', (e) => this.end(e)),
      on(svg, 'pointercancel', (e) => this.end(e)),
      on(svg, 'lostpointercapture', (e) => this.end(e)),
      on(svg, 'pointerleave', () => this.leave()),
      on(svg, 'dblclick', (e) => this.doubleClick(e)),
      on(probe, 'keydown', (e) => this.key(e)),
    ];
    this.off = () => offs.forEach((f) => f());
  }

  destroy(): void {
    this.off();
  }

  get dragging(): boolean {
    return this.drag !== null;
  }

  /** The resting mouse's position, when the dots moved under it and the hover should be looked up again. */
  get restingAt(): { px: number; py: number } | null {
    return this.drag ? null : this.resting;
  }

  private local(e: { clientX: number; clientY: number }): { px: number; py: number } {
    const rect = this.svg.getBoundingClientRect();
    return { px: e.clientX - rect.left - MARGIN.left, py: e.clientY - rect.top - MARGIN.top };
  }

  private inside(px: number, py: number): boolean {
    const { plotW, plotH } = this.host.plotSize();
    return px >= 0 && py >= 0 && px <= plotW && py <= plotH;
  }

  private onProbe(e: Event): boolean {
    return this.probe.contains(e.target as Node);
  }

  private down(e: PointerEvent): void {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const { px, py } = this.local(e);
    // an interpolation end is dragged like the probe, its own way
    const end = this.host.endAt(e.target);
    const endXY = end === null ? null : this.host.endPixel(end);
    if (end !== null && endXY) {
      e.preventDefault();
      this.svg.setPointerCapture(e.pointerId);
      this.drag = { id: e.pointerId, dx: endXY[0] - px, dy: endXY[1] - py, end };
      this.host.hover(null);
      return;
    }
    const onProbe = this.onProbe(e);
    if (!onProbe && !this.inside(px, py)) return;
    // Shift-click on a dot picks that point (the probe goes to its mean) instead of moving the probe here.
    if (e.shiftKey && !onProbe && this.host.canPick()) {
      const k = this.host.findPoint(px, py);
      if (k !== null) {
        e.preventDefault();
        this.host.pick(k);
        return;
      }
    }
    e.preventDefault();
    this.svg.setPointerCapture(e.pointerId);
    const [cx, cy] = this.host.probePixel();
    this.drag = onProbe ? { id: e.pointerId, dx: cx - px, dy: cy - py } : { id: e.pointerId, dx: 0, dy: 0 };
    this.probe.focus({ preventScroll: true });
    this.host.hover(null);
    if (!onProbe) this.host.moveProbeTo(px, py);
  }

  private move(e: PointerEvent): void {
    const { px, py } = this.local(e);
    const d = this.drag;
    if (d && d.id === e.pointerId) {
      if (d.end !== undefined) this.host.moveEndTo(d.end, px + d.dx, py + d.dy);
      else this.host.moveProbeTo(px + d.dx, py + d.dy);
      return;
    }
    if (d || e.pointerType === 'touch') return;
    if (!this.inside(px, py)) {
      this.leave();
      return;
    }
    this.resting = { px, py };
    this.host.hover(this.host.findPoint(px, py));
  }

  private end(e: PointerEvent): void {
    if (this.drag?.id !== e.pointerId) return;
    this.drag = null;
    if (this.svg.hasPointerCapture(e.pointerId)) this.svg.releasePointerCapture(e.pointerId);
  }

  private leave(): void {
    if (this.drag) return;
    this.resting = null;
    this.host.hover(null);
  }

  private doubleClick(e: MouseEvent): void {
    if (!this.host.canPick() || this.onProbe(e)) return;
    const { px, py } = this.local(e);
    if (!this.inside(px, py)) return;
    const k = this.host.findPoint(px, py);
    if (k !== null) this.host.pick(k);
  }

  private key(e: KeyboardEvent): void {
    const d = keyStep(e.key, e.shiftKey);
    if (!d) return;
    e.preventDefault();
    this.host.nudgeProbe(d[0], d[1]);
  }
}
