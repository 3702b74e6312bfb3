/**
 * What the tools of a trained model draw on the latent scatter, above the dots and below the
 * probe: the interpolation path (its points and two draggable ends, A and B) and the drawn digit's
 * posterior (its mean and 1σ ellipse). ScatterView paints it with the overlay, frame by frame
 * through the glide; the group's children are made here on first use, then only their attributes
 * change. The ends are dragged through ProbePointer (overlayEndAt says which end a press is on).
 */
import type { ScaleLinear } from 'd3';
import { posteriorEllipse, projectPoint, type ProjectionAxes } from '../../../../core/analysis/projection';
import type { LatentOverlay } from '../../../../state/analysis/state';
import './toolsLayer.css';

const SVG = 'http://www.w3.org/2000/svg';
/** Points drawn along the path at most (it has ten). */
const MAX_STEPS = 64;

export interface OverlayView {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  /** Screen pixels per latent unit. */
  unit: number;
  proj: ProjectionAxes;
  plotW: number;
  plotH: number;
}

function make<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent.appendChild(el);
  return el;
}

function build(layer: SVGGElement): void {
  make(layer, 'path', { class: 'overlay-path-halo' });
  make(layer, 'path', { class: 'overlay-path' });
  const steps = make(layer, 'g', { class: 'overlay-steps' });
  for (let i = 0; i < MAX_STEPS; i++) make(steps, 'circle', { r: '2.6' });
  for (const end of [0, 1]) {
    const g = make(layer, 'g', { class: 'overlay-end', 'data-overlay-end': String(end), role: 'img', 'aria-label': `Interpolation end ${end === 0 ? 'A' : 'B'} (drag to move it)` });
    make(g, 'circle', { class: 'overlay-end-hit', r: '14' });
    make(g, 'circle', { class: 'overlay-end-dot', r: '8' });
    make(g, 'text', { 'text-anchor': 'middle', dy: '0.35em' }).textContent = end === 0 ? 'A' : 'B';
  }
  const posterior = make(layer, 'g', { class: 'overlay-posterior', 'data-overlay': 'drawing', role: 'img', 'aria-label': 'Your drawing’s posterior q(z|x): its mean and 1σ ellipse' });
  make(posterior, 'ellipse', {});
  make(posterior, 'path', { class: 'overlay-posterior-mark', d: 'M-5 -5L5 5M-5 5L5 -5' });
  make(posterior, 'text', { x: '9', y: '-9' }).textContent = 'your digit';
}

/** The end (0 or 1) of the interpolation path under an event's target, or null. */
export function overlayEndAt(target: EventTarget | null): 0 | 1 | null {
  const el = target instanceof Element ? target.closest('[data-overlay-end]') : null;
  if (!el) return null;
  return el.getAttribute('data-overlay-end') === '1' ? 1 : 0;
}

/** The latent point of a path end (row 0 or the last row), or null without a path. */
export function overlayEndPoint(overlay: LatentOverlay | null | undefined, end: 0 | 1, dim: number): Float32Array | null {
  const path = overlay?.path;
  if (!path || dim <= 0 || path.length < 2 * dim) return null;
  const rows = path.length / dim;
  const row = end === 0 ? 0 : rows - 1;
  return path.subarray(row * dim, (row + 1) * dim);
}

/**
 * The projected points of a path [rows, dim], or none when one of them has no place on screen: a
 * model that diverged encodes to NaN, and an SVG attribute cannot hold NaN.
 */
export function drawablePath(path: Float32Array | null, dim: number, proj: ProjectionAxes, x: (v: number) => number, y: (v: number) => number): [number, number][] {
  if (!path || dim <= 0) return [];
  const xy = Array.from({ length: Math.floor(path.length / dim) }, (_, k) => projectPoint(path.subarray(k * dim, (k + 1) * dim), proj));
  return xy.every(([px, py]) => Number.isFinite(x(px)) && Number.isFinite(y(py))) ? xy : [];
}

/** Paint the overlay (or hide it) for the scatter's current view. */
export function paintLatentOverlay(layer: SVGGElement, overlay: LatentOverlay | null | undefined, view: OverlayView, dim: number): void {
  if (!layer.firstChild) build(layer);
  const { x, y, unit, proj, plotW, plotH } = view;
  const clampX = (v: number) => Math.max(0, Math.min(plotW, x(v)));
  const clampY = (v: number) => Math.max(0, Math.min(plotH, y(v)));
  const [haloEl, pathEl, stepsEl, endA, endB, posteriorEl] = Array.from(layer.children) as SVGElement[];

  const xy = drawablePath(overlay?.path ?? null, dim, proj, x, y);
  const rows = xy.length;
  layer.setAttribute('data-path-points', String(rows));
  const show = (el: Element, on: boolean) => (on ? el.removeAttribute('display') : el.setAttribute('display', 'none'));
  show(haloEl, rows >= 2);
  show(pathEl, rows >= 2);
  show(stepsEl, rows >= 2);
  show(endA, rows >= 2);
  show(endB, rows >= 2);
  if (rows >= 2) {
    const d = xy.map(([px, py], k) => `${k ? 'L' : 'M'}${clampX(px).toFixed(1)} ${clampY(py).toFixed(1)}`).join('');
    haloEl.setAttribute('d', d);
    pathEl.setAttribute('d', d);
    Array.from(stepsEl.children).forEach((c, k) => {
      const inner = k > 0 && k < rows - 1;
      show(c, inner);
      if (inner) {
        c.setAttribute('cx', clampX(xy[k][0]).toFixed(1));
        c.setAttribute('cy', clampY(xy[k][1]).toFixed(1));
      }
    });
    endA.setAttribute('transform', `translate(${clampX(xy[0][0]).toFixed(1)},${clampY(xy[0][1]).toFixed(1)})`);
    endB.setAttribute('transform', `translate(${clampX(xy[rows - 1][0]).toFixed(1)},${clampY(xy[rows - 1][1]).toFixed(1)})`);
  }

  const posterior = overlay?.posterior;
  const mean = posterior && posterior.mu.length === dim ? projectPoint(posterior.mu, proj) : null;
  const e = posterior && mean ? posteriorEllipse(posterior.logVar, proj) : null;
  const shown = !!mean && !!e && Number.isFinite(x(mean[0])) && Number.isFinite(y(mean[1])) && [e.rx * unit, e.ry * unit, e.angle].every(Number.isFinite);
  show(posteriorEl, shown);
  layer.setAttribute('data-drawing-point', shown ? 'shown' : 'none');
  if (mean && e && shown) {
    const [mx, my] = mean;
    posteriorEl.setAttribute('transform', `translate(${clampX(mx).toFixed(1)},${clampY(my).toFixed(1)})`);
    const ellipse = posteriorEl.querySelector('ellipse');
    if (ellipse) {
      ellipse.setAttribute('rx', String(Math.max(1, e.rx * unit)));
      ellipse.setAttribute('ry', String(Math.max(1, e.ry * unit)));
      ellipse.setAttribute('transform', `rotate(${(-e.angle * 180) / Math.PI})`);
    }
  }
}
