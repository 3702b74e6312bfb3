/**
 * The events marked on the loss chart's time axis (β changes, resets, divergences…): their colours
 * and where their labels go so that they do not overlap. Pure.
 */
import type { HistoryMarker } from '../../../state/history';

export const MARKER_COLORS: Readonly<Record<HistoryMarker['kind'], string>> = {
  beta: 'var(--accent)',
  learningRate: 'var(--warn)',
  reset: 'var(--ink-faint)',
  diverged: 'var(--error)',
};

/** A label's estimated width in px (10 px bold text). */
export function markerLabelWidth(label: string): number {
  return label.length * 5.7 + 2;
}

export interface LabelBox {
  /** Pixel position of the thing labelled. */
  x: number;
  /** Label width in pixels (an estimate is fine). */
  width: number;
}

export interface PlacedLabel {
  /** Row from the axis upwards; -1 when there was no room (label hidden). */
  row: number;
  /** Left edge of the label in pixels. */
  left: number;
  anchor: 'start' | 'end';
}

/**
 * Place labels beside vertical lines: to the right of the line, or to its left near the right
 * edge; stack overlapping labels into up to `rows` rows and hide what still does not fit.
 */
export function placeLabels(boxes: readonly LabelBox[], plotWidth: number, rows = 2, gap = 4, offset = 3): PlacedLabel[] {
  const rowEnds: number[] = new Array(rows).fill(-Infinity);
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].x - boxes[b].x);
  const placed: PlacedLabel[] = new Array(boxes.length);
  for (const i of order) {
    const { x, width } = boxes[i];
    const anchor: 'start' | 'end' = x + offset + width > plotWidth ? 'end' : 'start';
    const left = anchor === 'start' ? x + offset : x - offset - width;
    const row = rowEnds.findIndex((end) => left >= end + gap);
    if (row >= 0) rowEnds[row] = left + width;
    placed[i] = { row, left, anchor };
  }
  return placed;
}
