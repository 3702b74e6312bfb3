/** Where the model diagram's nodes and arrows go: grid cells to pixels, box sizes, arrow ends clipped to the boxes. */
import type { DiagramNode, ModelDiagram } from '../../../core/models/diagram';

export const CELL_WIDTH = 150;
export const CELL_HEIGHT = 92;

export interface Box {
  cx: number;
  cy: number;
  width: number;
  height: number;
}

export function nodeBox(node: DiagramNode): Box {
  const cx = (node.at.col + 0.5) * CELL_WIDTH;
  const cy = (node.at.row + 0.5) * CELL_HEIGHT;
  const as = node.live?.as;
  if (as === 'image') return { cx, cy, width: 70, height: 70 };
  if (as === 'bars') return { cx, cy, width: 124, height: 62 };
  if (as === 'number') return { cx, cy, width: 142, height: 50 }; // wide enough for “RECONSTRUCTION”
  // a trapezoid's narrow end still holds a long name (“Discriminator”): about 8 px a letter
  if (node.kind === 'network') return { cx, cy, width: Math.max(100, node.label.length * 8 + 20), height: 64 };
  return { cx, cy, width: 96, height: 44 };
}

export function diagramSize(diagram: ModelDiagram): { width: number; height: number } {
  return { width: diagram.columns * CELL_WIDTH, height: diagram.rows * CELL_HEIGHT };
}

/** The point where the ray from the box's centre towards (x, y) leaves the box, `gap` pixels further out. */
export function exitPoint(box: Box, x: number, y: number, gap = 4): { x: number; y: number } {
  const dx = x - box.cx;
  const dy = y - box.cy;
  const length = Math.hypot(dx, dy);
  if (length === 0) return { x: box.cx, y: box.cy };
  const t = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy));
  return { x: box.cx + dx * t + (dx / length) * gap, y: box.cy + dy * t + (dy / length) * gap };
}

/** An arrow between two boxes: from the edge of one to the edge of the other. */
export function arrow(from: Box, to: Box): { x1: number; y1: number; x2: number; y2: number } {
  const a = exitPoint(from, to.cx, to.cy, 2);
  const b = exitPoint(to, from.cx, from.cy, 6);
  return { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
}

/**
 * An arrow bent by `bend` pixels to the left of its direction (a quadratic curve): the SVG path,
 * and the point where its label goes.
 */
export function bentArrow(from: Box, to: Box, bend: number): { d: string; labelAt: { x: number; y: number } } {
  const dx = to.cx - from.cx;
  const dy = to.cy - from.cy;
  const length = Math.hypot(dx, dy) || 1;
  // left of the direction (dx, dy) in screen coordinates (y down) is (dy, −dx)
  const control = { x: (from.cx + to.cx) / 2 + (dy / length) * bend, y: (from.cy + to.cy) / 2 - (dx / length) * bend };
  const a = exitPoint(from, control.x, control.y, 2);
  const b = exitPoint(to, control.x, control.y, 6);
  return { d: `M${a.x},${a.y} Q${control.x},${control.y} ${b.x},${b.y}`, labelAt: { x: (a.x + 2 * control.x + b.x) / 4, y: (a.y + 2 * control.y + b.y) / 4 } };
}

/** A node's value bars reach their full height `half` at |v| = this, and stop there. */
export const BAR_RANGE = 2.5;

/**
 * The height of a node's value bar for v: |v| scaled to `half` at BAR_RANGE. A model about to be
 * restored may report NaN or ±∞: no bar then (its label still says the value).
 */
export function barHeight(v: number, half: number): number {
  return Number.isFinite(v) ? (Math.min(BAR_RANGE, Math.abs(v)) / BAR_RANGE) * half : 0;
}
